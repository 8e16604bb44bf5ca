package io.vkv.watch;

import static io.vkv.watch.FakeStore.b;
import static io.vkv.watch.FakeStore.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.vkv.api.etcdserverpb.WatchCreateRequest;
import io.vkv.api.mvccpb.Event;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random workloads: writes and txns over a small key space, watchers with random ranges
 * and start revisions created at random times, slow and refusing sinks, compaction, catch-up
 * rounds, victim retries and commits that reach the hub late or during a history read. At the
 * end every watcher must have received exactly the history filtered to its range from its start
 * revision, in order, once, with no revision split across batches.
 */
class WatchHubPropertyTest {
  private static final int SEEDS = 200;
  private static final ByteString[] KEYS = {b("a"), b("ab"), b("abc"), b("b"), b("b\0"), b("c"),
      bytes(0x7f), bytes(0x80), bytes(0x80, 0x01), bytes(0xff), bytes(0xff, 0xff)};

  /** A stream whose bytes drain only when the test says so. */
  private static final class SlowSink extends BudgetedSink {
    final List<WatchBatch> taken = new ArrayList<>();
    final ArrayDeque<WatchBatch> inFlight = new ArrayDeque<>();

    SlowSink(long budget) {
      super(budget);
    }

    @Override
    protected void send(WatchBatch batch) {
      taken.add(batch);
      inFlight.add(batch);
    }
  }

  private record Tracked(Watcher watcher, long firstRevision, List<WatchBatch> log,
      boolean[] cancelledByTest) {}

  /** Coverage counters, printed so a run shows the paths were actually taken. */
  private final long[] stats = new long[5];

  @Test
  void everyWatcherSeesExactlyItsHistory() {
    for (long seed = 1; seed <= SEEDS; seed++) {
      try {
        run(seed);
      } catch (Throwable t) {
        fail("watch property failed for seed " + seed + ": " + t, t);
      }
    }
    System.out.printf("watch property: %d seeds, %d watchers, %d events checked,"
        + " %d compaction cancels, %d catch-up reads, %d batches%n",
        SEEDS, stats[0], stats[1], stats[2], stats[3], stats[4]);
  }

  private void run(long seed) {
    Random rnd = new Random(seed);
    FakeStore store = new FakeStore();
    for (int i = rnd.nextInt(6); i > 0; i--) {
      store.txn(randomTxn(rnd));
    }
    long[] parkCaps = {0, 200, 5_000, 1 << 20};
    WatchHub hub = new WatchHub(store,
        new WatchHubConfig(1 + rnd.nextInt(5), parkCaps[rnd.nextInt(4)], 1 << 20));
    List<WatchSink> sinks = new ArrayList<>();
    List<TestSink> flaky = new ArrayList<>();
    List<SlowSink> slow = new ArrayList<>();
    for (int i = 1 + rnd.nextInt(4); i > 0; i--) {
      if (rnd.nextBoolean()) {
        TestSink s = new TestSink();
        double p = rnd.nextInt(3) * 0.3;
        s.refuse = () -> rnd.nextDouble() < p;
        flaky.add(s);
        sinks.add(s);
      } else {
        SlowSink s = new SlowSink(100 + rnd.nextInt(2_000));
        slow.add(s);
        sinks.add(s);
      }
    }
    boolean compacts = rnd.nextBoolean(); // half the seeds: no compaction, so exact streams
    ArrayDeque<Committed> notYetApplied = new ArrayDeque<>();
    List<Tracked> tracked = new ArrayList<>();

    for (int step = 0; step < 300; step++) {
      int op = rnd.nextInt(100);
      if (op < 30) {
        Committed c = store.txn(randomTxn(rnd));
        if (c != null) {
          notYetApplied.add(c);
        }
      } else if (op < 45) {
        deliver(hub, notYetApplied, 1 + rnd.nextInt(4));
      } else if (op < 55) {
        WatchSink s = sinks.get(rnd.nextInt(sinks.size()));
        WatchCreateRequest req = randomRequest(rnd, store.compactedRevision(), store.currentRevision());
        Watcher w = hub.watch(s, tracked.size(), req);
        long first = req.getStartRevision() == 0 ? hub.progressRevision() + 1 : req.getStartRevision();
        tracked.add(new Tracked(w, first, null, new boolean[1]));
      } else if (op < 57 && !tracked.isEmpty()) {
        Tracked t = tracked.get(rnd.nextInt(tracked.size()));
        t.cancelledByTest()[0] |= hub.cancel(t.watcher());
      } else if (op < 70) {
        if (rnd.nextInt(4) == 0) {
          store.duringNextRead = () -> {
            Committed c = store.txn(randomTxn(rnd));
            if (c != null) {
              notYetApplied.add(c);
            }
            deliver(hub, notYetApplied, rnd.nextInt(3));
          };
        }
        hub.syncUnsynced();
        store.duringNextRead = null;
      } else if (op < 78) {
        hub.retryVictims();
      } else if (op < 90 && !slow.isEmpty()) {
        drain(hub, slow.get(rnd.nextInt(slow.size())), rnd.nextInt(4));
      } else if (op < 91 && compacts) {
        store.compact(store.currentRevision() - 2 - rnd.nextInt(8));
      }
    }

    // settle: apply everything, make every stream healthy, run the scheduler until quiet
    deliver(hub, notYetApplied, Integer.MAX_VALUE);
    for (TestSink s : flaky) {
      s.refuse = () -> false;
    }
    for (int round = 0; ; round++) {
      assertTrue(round < 10_000, "hub did not settle");
      for (SlowSink s : slow) {
        drain(hub, s, Integer.MAX_VALUE);
      }
      hub.retryVictims();
      boolean more = hub.syncUnsynced();
      if (!more && hub.victimCount() == 0) {
        break;
      }
    }
    List<Committed> all = store.all();
    for (Tracked t : tracked) {
      List<WatchBatch> got = new ArrayList<>();
      for (WatchSink s : sinks) {
        List<WatchBatch> taken = s instanceof TestSink ts ? ts.taken : ((SlowSink) s).taken;
        taken.stream().filter(b -> b.watcher() == t.watcher()).forEach(got::add);
      }
      check(t, got, expected(t, all));
      stats[0]++;
      stats[4] += got.size();
      got.forEach(b -> {
        stats[1] += b.events().size();
        stats[2] += b.isCompaction() ? 1 : 0;
      });
    }
    stats[3] += store.reads;
  }

  private static void check(Tracked t, List<WatchBatch> got, List<Event> want) {
    List<Event> events = new ArrayList<>();
    long lastRev = Long.MIN_VALUE;
    WatchBatch compaction = null;
    for (WatchBatch b : got) {
      assertTrue(compaction == null, "nothing after a compaction notice");
      if (b.isCompaction()) {
        compaction = b;
        continue;
      }
      assertTrue(!b.events().isEmpty(), "empty event batch");
      long first = b.events().get(0).getKv().getModRevision();
      assertTrue(first > lastRev, "revision split or reordered across batches: " + t.watcher());
      lastRev = b.events().get(b.events().size() - 1).getKv().getModRevision();
      assertTrue(b.revision() >= lastRev, "header revision behind its events");
      events.addAll(b.events());
    }
    Watcher w = t.watcher();
    if (compaction != null || t.cancelledByTest()[0]) {
      assertTrue(events.size() <= want.size(), "more than the history for " + w);
      assertEquals(want.subList(0, events.size()), events, "not a prefix for " + w);
      if (compaction != null) {
        assertTrue(lastRev < compaction.compactRevision() || events.isEmpty());
      }
    } else {
      assertEquals(want, events, "stream differs for " + w);
    }
  }

  private static List<Event> expected(Tracked t, List<Committed> all) {
    Watcher w = t.watcher();
    List<Event> out = new ArrayList<>();
    for (Committed c : all) {
      if (c.revision() < t.firstRevision()) {
        continue;
      }
      for (Event e : c.events()) {
        if (w.matches(e.getKv().getKey()) && w.wants(e.getType())) {
          out.add(w.prevKv() ? e : e.toBuilder().clearPrevKv().build());
        }
      }
    }
    return out;
  }

  private static void deliver(WatchHub hub, ArrayDeque<Committed> queue, int max) {
    List<Committed> batch = new ArrayList<>();
    while (!queue.isEmpty() && batch.size() < max) {
      batch.add(queue.poll());
    }
    if (!batch.isEmpty()) {
      hub.onCommitted(batch);
    }
  }

  private static void drain(WatchHub hub, SlowSink s, int max) {
    for (int i = 0; i < max && !s.inFlight.isEmpty(); i++) {
      if (s.written(s.inFlight.poll())) {
        hub.onWritable(s);
      }
    }
  }

  private static List<FakeStore.Op> randomTxn(Random rnd) {
    List<ByteString> keys = new ArrayList<>(List.of(KEYS));
    java.util.Collections.shuffle(keys, rnd);
    int n = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(4) : 1;
    List<FakeStore.Op> ops = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean del = rnd.nextInt(4) == 0;
      ops.add(new FakeStore.Op(keys.get(i), del ? null : b("v" + rnd.nextInt(1000))));
    }
    return ops;
  }

  private static WatchCreateRequest randomRequest(Random rnd, long compacted, long current) {
    ByteString k1 = KEYS[rnd.nextInt(KEYS.length)];
    ByteString k2 = KEYS[rnd.nextInt(KEYS.length)];
    WatchCreateRequest.Builder r = WatchCreateRequest.newBuilder();
    switch (rnd.nextInt(5)) {
      case 0 -> r.setKey(k1);
      case 1 -> r.setKey(k1).setRangeEnd(bytes(0));
      case 2 -> r.setKey(bytes(0)).setRangeEnd(bytes(0));
      case 3 -> r.setKey(k1).setRangeEnd(prefixEnd(k1));
      default -> {
        int c = Watcher.KEY_ORDER.compare(k1, k2);
        if (c == 0) {
          r.setKey(k1);
        } else {
          r.setKey(c < 0 ? k1 : k2).setRangeEnd(c < 0 ? k2 : k1);
        }
      }
    }
    if (rnd.nextBoolean()) {
      // mostly still in history, sometimes compacted, sometimes in the future
      long floor = rnd.nextInt(8) == 0 ? 1 : compacted + 1;
      r.setStartRevision(floor + rnd.nextInt((int) (current - floor) + 4));
    }
    if (rnd.nextInt(5) == 0) {
      r.addFilters(rnd.nextBoolean() ? WatchCreateRequest.FilterType.NOPUT
          : WatchCreateRequest.FilterType.NODELETE);
    }
    return r.setPrevKv(rnd.nextBoolean()).build();
  }

  /** etcd's prefix end: increment the last byte below 0xff, dropping trailing 0xff bytes. */
  private static ByteString prefixEnd(ByteString key) {
    byte[] k = key.toByteArray();
    for (int i = k.length - 1; i >= 0; i--) {
      if ((k[i] & 0xff) != 0xff) {
        k[i]++;
        return ByteString.copyFrom(k, 0, i + 1);
      }
    }
    return bytes(0); // all 0xff: to the end
  }
}
