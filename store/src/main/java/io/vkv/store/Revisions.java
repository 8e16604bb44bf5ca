package io.vkv.store;

import java.nio.ByteBuffer;

/**
 * Big-endian revision encodings, so that LMDB's byte order is revision order: {@code history} keys are
 * (main, sub).
 */
final class Revisions {
  static final int LENGTH = 16;

  private Revisions() {}

  static void put(ByteBuffer buf, long main, long sub) {
    buf.putLong(main).putLong(sub);
  }
}
