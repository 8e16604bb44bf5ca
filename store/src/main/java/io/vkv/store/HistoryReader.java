package io.vkv.store;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import io.vkv.api.mvccpb.Event;
import io.vkv.api.mvccpb.KeyValue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.lmdbjava.Cursor;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/** Reads of the {@code history} table: watch catch-up, the KV hash, and single events. */
final class HistoryReader {
  private HistoryReader() {}

  static Event eventAt(Tables t, Txn<ByteBuffer> txn, long main, long sub) {
    ByteBuffer stored = t.history.get(txn, Scratch.revision(main, sub));
    if (stored == null) throw new IllegalStateException("version index points at missing revision " + main + "." + sub);
    return parse(stored);
  }

  static Event parse(ByteBuffer stored) {
    try {
      return Event.parseFrom(stored.duplicate());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt Event in store", e);
    }
  }

  /** What the key index needs of a stored event: its key and whether it is a delete. */
  record KeyAndType(byte[] key, boolean delete) {}

  private static final int TYPE_TAG = tag(Event.TYPE_FIELD_NUMBER, WireFormat.WIRETYPE_VARINT);
  private static final int KV_TAG = tag(Event.KV_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int KEY_TAG = tag(KeyValue.KEY_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);

  /** A field's tag as the protobuf wire format writes it (WireFormat.makeTag is not public). */
  private static int tag(int field, int wireType) {
    return field << 3 | wireType;
  }

  /**
   * The key and type of a stored event, read without building the event: a rebuild of the key index reads every
   * stored version, and copying each value out (as {@link #parse} does) was most of its time.
   */
  static KeyAndType keyAndType(ByteBuffer stored) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(stored.duplicate());
      byte[] key = new byte[0];
      boolean delete = false;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == TYPE_TAG) {
          delete = in.readEnum() == Event.EventType.DELETE_VALUE;
        } else if (tag == KV_TAG) {
          int limit = in.pushLimit(in.readRawVarint32());
          for (int kvTag = in.readTag(); kvTag != 0; kvTag = in.readTag()) {
            if (kvTag == KEY_TAG) key = in.readByteArray();
            else in.skipField(kvTag);
          }
          in.popLimit(limit);
        } else {
          in.skipField(tag);
        }
      }
      return new KeyAndType(key, delete);
    } catch (IOException e) {
      throw new IllegalStateException("corrupt Event in store", e);
    }
  }

  /**
   * Events with main revision in [from, to], in order, with prev_kv filled when the previous version is still
   * stored. Stops after maxEvents, but never in the middle of a revision.
   */
  static List<Event> events(Tables t, Txn<ByteBuffer> txn, long from, long to, int maxEvents) {
    List<Event> out = new ArrayList<>();
    try (Cursor<ByteBuffer> c = t.history.openCursor(txn)) {
      boolean has = c.get(Scratch.revision(from, 0), GetOp.MDB_SET_RANGE);
      long lastMain = -1;
      while (has) {
        ByteBuffer k = c.key();
        long main = k.getLong(k.position());
        if (main > to || (out.size() >= maxEvents && main != lastMain)) break;
        long sub = k.getLong(k.position() + 8);
        out.add(parse(c.val()));
        lastMain = main;
        int i = out.size() - 1;
        out.set(i, withPrevious(t, txn, out.get(i), main, sub));
        has = c.next();
      }
    }
    return out;
  }

  private static Event withPrevious(Tables t, Txn<ByteBuffer> txn, Event e, long main, long sub) {
    KeyValue prev = previousVersion(t, txn, e.getKv().getKey().toByteArray(), main, sub);
    return prev == null ? e : e.toBuilder().setPrevKv(prev).build();
  }

  /** The live version of the key just before (main, sub), if it has not been compacted away. */
  private static KeyValue previousVersion(Tables t, Txn<ByteBuffer> txn, byte[] key, long main, long sub) {
    KeyIndex.Versions versions = t.keyIndex.versions(KeyCodec.encode(key));
    if (versions == null) return null;
    int i = versions.newestAtOrBelow(main, sub);
    if (i < 1 || versions.main(i) != main || versions.sub(i) != sub || versions.tombstone(i - 1)) return null;
    return eventAt(t, txn, versions.main(i - 1), versions.sub(i - 1)).getKv();
  }

  /** CRC32C over every stored version (revision and event bytes) with main revision <= revision. */
  static int hash(Tables t, Txn<ByteBuffer> txn, long revision) {
    CRC32C crc = new CRC32C();
    try (Cursor<ByteBuffer> c = t.history.openCursor(txn)) {
      boolean has = c.first();
      while (has) {
        ByteBuffer k = c.key();
        if (k.getLong(k.position()) > revision) break;
        crc.update(k.duplicate());
        crc.update(c.val().duplicate());
        has = c.next();
      }
    }
    return (int) crc.getValue();
  }
}
