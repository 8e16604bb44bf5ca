package io.vkv.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The interval index against a brute-force scan, under random adds and removes. */
class IntervalTreeTest {

  private static ByteString key(Random rnd) {
    byte[] k = new byte[1 + rnd.nextInt(2)];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) new int[] {0, 1, 0x7f, 0x80, 0xfe, 0xff}[rnd.nextInt(6)];
    }
    return ByteString.copyFrom(k);
  }

  @Test
  void stabMatchesBruteForce() {
    Random rnd = new Random(42);
    WatcherIndex index = new WatcherIndex();
    List<Watcher> live = new ArrayList<>();
    for (int step = 0; step < 5_000; step++) {
      if (live.isEmpty() || rnd.nextInt(3) > 0) {
        ByteString a = key(rnd);
        ByteString b = key(rnd);
        ByteString start = Watcher.KEY_ORDER.compare(a, b) <= 0 ? a : b;
        ByteString end = switch (rnd.nextInt(3)) {
          case 0 -> null;
          case 1 -> ByteString.EMPTY;
          default -> Watcher.KEY_ORDER.compare(a, b) == 0 ? null : (start == a ? b : a);
        };
        Watcher w = new Watcher(step, start, end, 0, false, false, false, false, null);
        index.add(w);
        live.add(w);
      } else {
        index.remove(live.remove(rnd.nextInt(live.size())));
      }
      ByteString probe = key(rnd);
      List<Watcher> got = new ArrayList<>();
      index.forEachMatch(probe, got::add);
      List<Watcher> want = live.stream().filter(w -> w.matches(probe)).toList();
      Comparator<Watcher> byId = Comparator.comparingLong(Watcher::id);
      got.sort(byId);
      assertEquals(want.stream().sorted(byId).toList(), got, "probe at step " + step);
      assertEquals(live.size(), index.size());
    }
  }
}
