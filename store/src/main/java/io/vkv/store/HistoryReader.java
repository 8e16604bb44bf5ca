package io.vkv.store;

import com.google.protobuf.InvalidProtocolBufferException;
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
