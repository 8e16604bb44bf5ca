package io.vkv.store;

import com.google.protobuf.InvalidProtocolBufferException;
import io.vkv.api.mvccpb.KeyValue;
import java.nio.ByteBuffer;
import org.lmdbjava.Cursor;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/** The key space at the latest revision of a transaction: a plain cursor over {@code current}. */
final class CurrentVersions implements VersionSource {
  private final Cursor<ByteBuffer> cursor;

  CurrentVersions(Tables tables, Txn<ByteBuffer> txn) {
    this.cursor = tables.current.openCursor(txn);
  }

  @Override
  public boolean seek(byte[] encoded) {
    return cursor.get(Scratch.key(encoded), GetOp.MDB_SET_RANGE);
  }

  @Override
  public boolean next() {
    return cursor.next();
  }

  @Override
  public ByteBuffer keyBuffer() {
    return cursor.key();
  }

  @Override
  public int keyOffset() {
    return cursor.key().position();
  }

  @Override
  public int keyLength() {
    return cursor.key().remaining();
  }

  @Override
  public boolean live() {
    return true;
  }

  @Override
  public KeyValue value() {
    return parse(cursor.val());
  }

  static KeyValue parse(ByteBuffer stored) {
    try {
      return KeyValue.parseFrom(stored.duplicate());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt KeyValue in store", e);
    }
  }

  @Override
  public void close() {
    cursor.close();
  }
}
