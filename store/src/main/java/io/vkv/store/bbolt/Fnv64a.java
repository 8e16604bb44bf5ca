package io.vkv.store.bbolt;

import java.nio.ByteBuffer;

/** 64-bit FNV-1a, the checksum bbolt keeps in each meta page. */
final class Fnv64a {
  private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  /** The hash of {@code length} bytes of {@code b} from absolute {@code offset}. */
  static long hash(ByteBuffer b, int offset, int length) {
    long h = OFFSET_BASIS;
    for (int i = offset; i < offset + length; i++) {
      h ^= b.get(i) & 0xff;
      h *= PRIME;
    }
    return h;
  }

  private Fnv64a() {}
}
