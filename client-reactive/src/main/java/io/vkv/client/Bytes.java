package io.vkv.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** Conversions between the client's key/value types and protobuf's, plus etcd's range-end arithmetic. */
public final class Bytes {
  /** etcd's range end meaning "every key from the start key on". */
  public static final ByteString ALL_FROM_KEY = ByteString.copyFrom(new byte[] {0});

  private Bytes() {
  }

  public static ByteString of(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  /** Wraps without copying: the caller must not modify the array afterwards. */
  public static ByteString of(byte[] b) {
    return UnsafeByteOperations.unsafeWrap(b);
  }

  public static ByteString of(Buffer b) {
    return UnsafeByteOperations.unsafeWrap(b.getBytes());
  }

  public static Buffer buffer(ByteString b) {
    return Buffer.buffer(b.toByteArray());
  }

  /**
   * The range end that selects every key starting with {@code prefix}: the prefix with its last byte below 0xff
   * incremented and what follows dropped; "\0" (all keys) when the prefix is empty or all 0xff, as etcd does.
   */
  public static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ALL_FROM_KEY;
  }
}
