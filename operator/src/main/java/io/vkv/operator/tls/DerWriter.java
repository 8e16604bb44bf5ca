package io.vkv.operator.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/** The few DER encodings an X.509 certificate needs (tag, length, value); writing only. */
final class DerWriter {
  static final int BOOLEAN = 0x01;
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int OID = 0x06;
  static final int UTF8_STRING = 0x0c;
  static final int UTC_TIME = 0x17;
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;

  private DerWriter() {}

  static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      byte[] len = BigInteger.valueOf(n).toByteArray();
      int skip = len[0] == 0 ? 1 : 0; // the sign byte is not part of a length
      out.write(0x80 | (len.length - skip));
      out.write(len, skip, len.length - skip);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  static byte[] sequence(byte[]... parts) {
    return tlv(SEQUENCE, concat(parts));
  }

  static byte[] set(byte[]... parts) {
    return tlv(SET, concat(parts));
  }

  static byte[] integer(BigInteger v) {
    return tlv(INTEGER, v.toByteArray());
  }

  static byte[] bool(boolean v) {
    return tlv(BOOLEAN, new byte[] {v ? (byte) 0xff : 0});
  }

  static byte[] octets(byte[] v) {
    return tlv(OCTET_STRING, v);
  }

  /** A BIT STRING of whole bytes (no unused bits), as signatures are. */
  static byte[] bits(byte[] v) {
    return tlv(BIT_STRING, concat(new byte[] {0}, v));
  }

  static byte[] utf8(String s) {
    return tlv(UTF8_STRING, s.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      long arc = Long.parseLong(arcs[i]);
      // base 128, most significant group first, every byte but the last with the high bit set
      int groups = 1;
      for (long a = arc >>> 7; a != 0; a >>>= 7) groups++;
      for (int g = groups - 1; g >= 0; g--) {
        int b = (int) ((arc >>> (7 * g)) & 0x7f);
        out.write(g == 0 ? b : b | 0x80);
      }
    }
    return tlv(OID, out.toByteArray());
  }

  /** Context-specific tag {@code [n]}, constructed (explicit) or primitive (implicit). */
  static byte[] tagged(int n, boolean constructed, byte[] value) {
    return tlv((constructed ? 0xa0 : 0x80) | n, value);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }
}
