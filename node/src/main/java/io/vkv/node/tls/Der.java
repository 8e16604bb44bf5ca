package io.vkv.node.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The little of ASN.1 DER that vkv needs without {@code sun.security}: writing the fields of a self-signed certificate,
 * and reading the outer structure of PKCS#1 / SEC1 private keys to wrap them as PKCS#8.
 */
final class Der {
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int NULL = 0x05;
  static final int OID = 0x06;
  static final int UTF8_STRING = 0x0c;
  static final int UTC_TIME = 0x17;
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;

  private Der() {
  }

  /** One tag-length-value. */
  static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      byte[] len = BigInteger.valueOf(n).toByteArray();
      int skip = len[0] == 0 ? 1 : 0;
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

  static byte[] octets(byte[] v) {
    return tlv(OCTET_STRING, v);
  }

  static byte[] bits(byte[] v) {
    byte[] withUnused = new byte[v.length + 1];
    System.arraycopy(v, 0, withUnused, 1, v.length);
    return tlv(BIT_STRING, withUnused);
  }

  static byte[] utf8(String s) {
    return tlv(UTF8_STRING, s.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] nul() {
    return new byte[] {NULL, 0};
  }

  /** An object identifier from its dotted form. */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      long arc = Long.parseLong(arcs[i]);
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
    return tlv(0x80 | (constructed ? 0x20 : 0) | n, value);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  /** One element read back: its tag, its whole encoding and its content. */
  record Element(int tag, byte[] encoded, byte[] content) {
    /** The elements inside a constructed element (a SEQUENCE or an explicit tag). */
    List<Element> children() {
      return readAll(content);
    }
  }

  /** Reads the consecutive elements of {@code der}; throws IllegalArgumentException on malformed input. */
  static List<Element> readAll(byte[] der) {
    List<Element> out = new ArrayList<>();
    int pos = 0;
    while (pos < der.length) {
      if (pos + 2 > der.length) throw new IllegalArgumentException("truncated DER");
      int tag = der[pos] & 0xff;
      int lenByte = der[pos + 1] & 0xff;
      int header = 2;
      int len;
      if (lenByte < 0x80) {
        len = lenByte;
      } else {
        int count = lenByte & 0x7f;
        if (count == 0 || count > 4 || pos + 2 + count > der.length) throw new IllegalArgumentException("bad DER length");
        len = 0;
        for (int i = 0; i < count; i++) len = (len << 8) | (der[pos + 2 + i] & 0xff);
        header += count;
      }
      int end = pos + header + len;
      if (len < 0 || end > der.length) throw new IllegalArgumentException("truncated DER");
      out.add(new Element(tag, Arrays.copyOfRange(der, pos, end), Arrays.copyOfRange(der, pos + header, end)));
      pos = end;
    }
    return out;
  }
}
