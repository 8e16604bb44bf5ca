package io.vkv.store;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A set of key ranges, merged so that a range is covered iff it lies inside one of them. Ranges use etcd's
 * encoding: an empty end means the single key, an end of one 0 byte means "every key from begin on".
 */
final class KeyIntervals {
  /** [begin, end); end == null: no upper bound. */
  private record Interval(byte[] begin, byte[] end) {}

  private static final byte[] ZERO = {0};
  private final List<Interval> merged;

  private KeyIntervals(List<Interval> merged) {
    this.merged = merged;
  }

  static final KeyIntervals NONE = new KeyIntervals(List.of());

  static KeyIntervals of(List<ByteString[]> ranges) {
    List<Interval> all = new ArrayList<>();
    for (ByteString[] r : ranges) all.add(interval(r[0].toByteArray(), r[1].toByteArray()));
    all.sort(Comparator.comparing(Interval::begin, Arrays::compareUnsigned));
    List<Interval> out = new ArrayList<>();
    for (Interval i : all) {
      Interval last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && (last.end == null || Arrays.compareUnsigned(i.begin, last.end) <= 0)) {
        out.set(out.size() - 1, new Interval(last.begin, max(last.end, i.end)));
      } else {
        out.add(i);
      }
    }
    return new KeyIntervals(List.copyOf(out));
  }

  /** Whether every key of [key, rangeEnd) (etcd's encoding, see the class comment) lies in the set. */
  boolean covers(byte[] key, byte[] rangeEnd) {
    Interval want = interval(key, rangeEnd);
    for (Interval i : merged) {
      if (Arrays.compareUnsigned(i.begin, want.begin) > 0) return false; // sorted: no later one starts lower
      if (i.end == null) return true;
      if (want.end != null && Arrays.compareUnsigned(want.end, i.end) <= 0) return true;
    }
    return false;
  }

  private static Interval interval(byte[] key, byte[] rangeEnd) {
    if (rangeEnd.length == 0) return new Interval(key, successor(key));
    if (Arrays.equals(rangeEnd, ZERO)) return new Interval(key, null);
    return new Interval(key, rangeEnd);
  }

  /** The smallest key after {@code key}: the key with a 0 byte appended. */
  private static byte[] successor(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  private static byte[] max(byte[] a, byte[] b) {
    if (a == null || b == null) return null;
    return Arrays.compareUnsigned(a, b) >= 0 ? a : b;
  }
}
