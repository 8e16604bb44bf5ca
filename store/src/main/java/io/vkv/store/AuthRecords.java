package io.vkv.store;

import com.google.protobuf.InvalidProtocolBufferException;
import io.vkv.api.internal.AuthRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.lmdbjava.Txn;

/** The auth record ({@link AuthState}) in the {@code meta} table, written in the applying transaction. */
final class AuthRecords {
  private static final byte[] KEY = "auth".getBytes(StandardCharsets.US_ASCII);

  static AuthState read(Tables t, Txn<ByteBuffer> txn) {
    ByteBuffer v = t.meta.get(txn, Scratch.key(KEY));
    if (v == null) return AuthState.INITIAL;
    byte[] bytes = new byte[v.remaining()];
    v.duplicate().get(bytes);
    try {
      return new AuthState(AuthRecord.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the store's auth record is unreadable: " + e.getMessage(), e);
    }
  }

  static AuthState write(Tables t, Txn<ByteBuffer> txn, AuthRecord record) {
    byte[] bytes = record.toByteArray();
    t.meta.reserve(txn, Scratch.key(KEY), bytes.length).put(bytes);
    return new AuthState(record);
  }

  private AuthRecords() {}
}
