package io.vkv.store;

import java.nio.ByteBuffer;

/**
 * Big-endian revision encodings, so that LMDB's byte order is revision order: {@code history} keys are
 * (main, sub); {@code keyrevs} keys end with the bitwise inverse (~main, ~sub) so that a key's newest version
 * comes first and "newest version at or below R" is one seek.
 */
final class Revisions {
  static final int LENGTH = 16;

  private Revisions() {}

  static void put(ByteBuffer buf, long main, long sub) {
    buf.putLong(main).putLong(sub);
  }

  static void putInverted(ByteBuffer buf, long main, long sub) {
    buf.putLong(~main).putLong(~sub);
  }

  static long invertedMain(ByteBuffer buf, int offset) {
    return ~buf.getLong(offset);
  }

  static long invertedSub(ByteBuffer buf, int offset) {
    return ~buf.getLong(offset + 8);
  }
}
