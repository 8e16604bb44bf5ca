package io.vkv.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;

/**
 * A put value that carries its own send time: the first 8 bytes are {@link System#nanoTime()} (big-endian) when
 * the put was issued, so a watcher in the same process measures put-to-event latency from the event alone.
 */
final class TimestampValue {
  static final int MIN_SIZE = Long.BYTES;

  private TimestampValue() {
  }

  /** A value of {@code max(8, size)} bytes stamped with the current time; the padding is 'x'. */
  static ByteString now(int size) {
    byte[] v = new byte[Math.max(MIN_SIZE, size)];
    long t = System.nanoTime();
    for (int i = Long.BYTES - 1; i >= 0; i--) {
      v[i] = (byte) t;
      t >>>= 8;
    }
    for (int i = Long.BYTES; i < v.length; i++) v[i] = 'x';
    return UnsafeByteOperations.unsafeWrap(v); // never modified after this point
  }

  /** The embedded send time, or {@code Long.MIN_VALUE} when the value is too short to carry one. */
  static long sentNanos(ByteString value) {
    if (value.size() < MIN_SIZE) return Long.MIN_VALUE;
    long t = 0;
    for (int i = 0; i < Long.BYTES; i++) t = (t << 8) | (value.byteAt(i) & 0xff);
    return t;
  }
}
