package io.vkv.consensus;

import java.nio.charset.StandardCharsets;

/** Byte-array helpers for rendering and keying; package-private. */
final class Bytes {
  private Bytes() {}

  static final byte[] EMPTY = new byte[0];

  /** Printable form: UTF-8 text when printable ASCII, hex otherwise. */
  static String show(byte[] b) {
    for (byte x : b) {
      if (x < 0x20 || x > 0x7e) {
        StringBuilder sb = new StringBuilder("0x");
        for (byte y : b) {
          sb.append(String.format("%02x", y));
        }
        return sb.toString();
      }
    }
    return new String(b, StandardCharsets.US_ASCII);
  }

  /** A String key with the same equality as the byte content (ISO-8859-1 is 1:1). */
  static String key(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
