package io.vkv.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import io.vkv.api.mvccpb.Event;
import io.vkv.api.mvccpb.KeyValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.lmdbjava.Txn;

/**
 * The writes of one log entry inside the batch's write transaction. Every write of the entry shares the main
 * revision {@code previousRevision + 1} and takes the next sub-revision; each write updates {@code current},
 * appends to {@code history} and adds the version to the in-memory {@link KeyIndex}.
 */
final class EntryWriter {
  private final Tables tables;
  private final Txn<ByteBuffer> txn;
  private final long previousRevision;
  private final List<Event> events = new ArrayList<>();
  private long sub;

  EntryWriter(Tables tables, Txn<ByteBuffer> txn, long previousRevision) {
    this.tables = tables;
    this.txn = txn;
    this.previousRevision = previousRevision;
  }

  long mainRevision() {
    return previousRevision + 1;
  }

  boolean wrote() {
    return sub > 0;
  }

  /** The revision a reader inside this entry sees: the entry's own revision once it has written. */
  long viewRevision() {
    return wrote() ? mainRevision() : previousRevision;
  }

  List<Event> events() {
    return events;
  }

  /** The key's latest KeyValue as this entry sees it, or null. */
  KeyValue get(ByteString key) {
    return LiveKeys.get(tables, txn, LiveKeys.WRITER, key);
  }

  /** The live KeyValues of a range as this entry sees them (its own earlier writes included). */
  List<KeyValue> liveRange(KeyRange range) {
    return LiveKeys.range(tables, txn, LiveKeys.WRITER, range);
  }

  KeyValue put(ByteString key, ByteString value, long lease, KeyValue prev) {
    long main = mainRevision();
    long s = sub++;
    KeyValue kv = KeyValue.newBuilder()
        .setKey(key)
        .setValue(value)
        .setLease(lease)
        .setModRevision(main)
        .setCreateRevision(prev == null ? main : prev.getCreateRevision())
        .setVersion(prev == null ? 1 : prev.getVersion() + 1)
        .build();
    byte[] encoded = KeyCodec.encode(key.toByteArray());
    LeaseTable.onPut(tables, txn, encoded, prev == null ? 0 : prev.getLease(), lease);
    Event event = Event.newBuilder().setType(Event.EventType.PUT).setKv(kv).build();
    write(tables.history, Scratch.revision(main, s), event);
    tables.keyIndex.add(encoded, main, s, false);
    events.add(prev == null ? event : event.toBuilder().setPrevKv(prev).build());
    return kv;
  }

  void delete(KeyValue prev) {
    long main = mainRevision();
    long s = sub++;
    byte[] encoded = KeyCodec.encode(prev.getKey().toByteArray());
    LeaseTable.onDelete(tables, txn, encoded, prev.getLease());
    Event event = Event.newBuilder()
        .setType(Event.EventType.DELETE)
        .setKv(KeyValue.newBuilder().setKey(prev.getKey()).setModRevision(main))
        .build();
    write(tables.history, Scratch.revision(main, s), event);
    tables.keyIndex.add(encoded, main, s, true);
    events.add(event.toBuilder().setPrevKv(prev).build());
  }

  /** Serializes straight into LMDB's page (MDB_RESERVE): no intermediate byte array. */
  private void write(org.lmdbjava.Dbi<ByteBuffer> dbi, ByteBuffer key, MessageLite message) {
    ByteBuffer target = dbi.reserve(txn, key, message.getSerializedSize());
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(target);
      message.writeTo(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
