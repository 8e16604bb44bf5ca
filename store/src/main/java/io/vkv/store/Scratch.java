package io.vkv.store;

import java.nio.ByteBuffer;

/**
 * Per-thread direct buffers for LMDB lookup keys, so reads on event loops allocate no native memory.
 * lmdbjava copies nothing: a buffer is only read during the call it is passed to, so one is enough per thread
 * as long as callers build a key, use it, and only then build the next.
 */
final class Scratch {
  private static final ThreadLocal<ByteBuffer> KEY =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(KeyCodec.MAX_ENCODED + Revisions.LENGTH));

  private Scratch() {}

  static ByteBuffer key(byte[] encoded) {
    return key().put(encoded).flip();
  }

  static ByteBuffer revision(long main, long sub) {
    ByteBuffer b = key();
    Revisions.put(b, main, sub);
    return b.flip();
  }

  static ByteBuffer key() {
    return KEY.get().clear();
  }
}
