package io.vkv.store;

import java.nio.ByteBuffer;

/** Unsigned byte-order comparisons between LMDB buffers and heap arrays, without copying. */
final class Bytes {
  private Bytes() {}

  /** Compares buf[offset, offset+length) with b as unsigned bytes. */
  static int compare(ByteBuffer buf, int offset, int length, byte[] b) {
    ByteBuffer a = buf.duplicate().limit(offset + length).position(offset);
    int m = a.mismatch(ByteBuffer.wrap(b));
    if (m < 0) return 0;
    if (m >= length || m >= b.length) return Integer.compare(length, b.length);
    return Byte.toUnsignedInt(buf.get(offset + m)) - Byte.toUnsignedInt(b[m]);
  }

  /** Whether buf[offset, offset+length) starts with prefix. */
  static boolean startsWith(ByteBuffer buf, int offset, int length, byte[] prefix) {
    if (length < prefix.length) return false;
    return compare(buf, offset, prefix.length, prefix) == 0;
  }

  static byte[] copy(ByteBuffer buf, int offset, int length) {
    byte[] out = new byte[length];
    buf.get(offset, out);
    return out;
  }
}
