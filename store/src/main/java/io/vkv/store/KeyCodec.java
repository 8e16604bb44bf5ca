package io.vkv.store;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Maps user keys (any length, any bytes) to LMDB keys (at most 511 bytes) so that LMDB's unsigned byte order
 * is the user keys' order, and so that an encoded key followed by a revision still sorts by user key first.
 *
 * <p>Short keys (up to {@link #SHORT_MAX} bytes): {@code escape(key) 00 01}. Escaping turns each 00 into
 * {@code 00 FF}, which keeps order and makes encodings prefix-free.
 *
 * <p>Long keys: {@code escape(key[0..SHORT_MAX]) 00 02 sha256(key) 02}. All long keys sharing their first
 * SHORT_MAX bytes form one contiguous "group" placed exactly where those keys belong; inside a group LMDB orders
 * by hash, so readers sort a group's members by their full key (kept in the stored value) in memory.
 * The last byte tells the two forms apart: 01 short, 02 long.
 */
final class KeyCodec {
  static final int SHORT_MAX = 224;
  static final int HASH_LEN = 32;
  /** Longest encoding: 2*224 escaped + 2 marker + 32 hash + 1 form byte. */
  static final int MAX_ENCODED = 2 * SHORT_MAX + 2 + HASH_LEN + 1;
  private static final byte ESC = 0x00;
  private static final byte ESC_ZERO = (byte) 0xFF;
  private static final byte SHORT_END = 0x01;
  private static final byte LONG_MARK = 0x02;

  private KeyCodec() {}

  static byte[] encode(byte[] key) {
    int n = Math.min(key.length, SHORT_MAX);
    boolean isLong = key.length > SHORT_MAX;
    byte[] out = new byte[escapedLength(key, n) + 2 + (isLong ? HASH_LEN + 1 : 0)];
    int p = escape(key, n, out);
    out[p++] = ESC;
    if (!isLong) {
      out[p] = SHORT_END;
      return out;
    }
    out[p++] = LONG_MARK;
    System.arraycopy(sha256(key), 0, out, p, HASH_LEN);
    out[p + HASH_LEN] = LONG_MARK;
    return out;
  }

  /** The smallest encoded key that can belong to a user key >= key: where a scan from {@code key} seeks to. */
  static byte[] seekStart(byte[] key) {
    return key.length <= SHORT_MAX ? encode(key) : groupPrefix(key);
  }

  /** {@code escape(key[0..SHORT_MAX]) 00 02}: the prefix shared by every member of a long key's group. */
  static byte[] groupPrefix(byte[] key) {
    int n = Math.min(key.length, SHORT_MAX);
    byte[] out = new byte[escapedLength(key, n) + 2];
    int p = escape(key, n, out);
    out[p++] = ESC;
    out[p] = LONG_MARK;
    return out;
  }

  /** Whether the encoded key occupying [offset, offset+length) of {@code buf} is the long form. */
  static boolean isLong(ByteBuffer buf, int offset, int length) {
    return buf.get(offset + length - 1) == LONG_MARK;
  }

  /** Length of the group prefix inside a long encoded key of the given length. */
  static int groupPrefixLength(int encodedLength) {
    return encodedLength - HASH_LEN - 1;
  }

  /** Decodes a short-form encoding back to the user key. */
  static byte[] decodeShort(ByteBuffer buf, int offset, int length) {
    byte[] tmp = new byte[length - 2];
    int n = 0;
    for (int i = offset, end = offset + length - 2; i < end; i++) {
      byte b = buf.get(i);
      if (b == ESC) {
        i++; // the escaped zero's second byte
      }
      tmp[n++] = b;
    }
    return n == tmp.length ? tmp : Arrays.copyOf(tmp, n);
  }

  /** The smallest key greater than {@code key}: key + 00 (a single-key range is [key, successor)). */
  static byte[] successor(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  private static int escapedLength(byte[] key, int n) {
    int len = n;
    for (int i = 0; i < n; i++) {
      if (key[i] == ESC) len++;
    }
    return len;
  }

  private static int escape(byte[] key, int n, byte[] out) {
    int p = 0;
    for (int i = 0; i < n; i++) {
      byte b = key[i];
      out[p++] = b;
      if (b == ESC) out[p++] = ESC_ZERO;
    }
    return p;
  }

  private static byte[] sha256(byte[] key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK ships SHA-256
    }
  }
}
