package io.vkv.store;

import io.vkv.api.mvccpb.Event;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.lmdbjava.Cursor;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * Physical compaction at revision C, synchronous, inside the batch's write transaction: every version with main
 * revision <= C is dropped from {@code history} and {@code keyrevs} unless it is its key's newest version at or
 * below C and a put (reads at C still need it). Deletions are collected in chunks so that no cursor walks a
 * table while it is being modified.
 */
final class Compactor {
  private static final int CHUNK = 4096;

  private record Doomed(long main, long sub, byte[] encodedKey) {}

  private Compactor() {}

  static void compact(Tables t, Txn<ByteBuffer> txn, long revision) {
    long fromMain = 0;
    long fromSub = 0;
    while (true) {
      List<Doomed> doomed = new ArrayList<>();
      boolean more = false;
      try (Cursor<ByteBuffer> history = t.history.openCursor(txn); Cursor<ByteBuffer> versions = t.keyrevs.openCursor(txn)) {
        boolean has = history.get(Scratch.revision(fromMain, fromSub), GetOp.MDB_SET_RANGE);
        while (has) {
          ByteBuffer k = history.key();
          long main = k.getLong(k.position());
          if (main > revision) break;
          long sub = k.getLong(k.position() + 8);
          Event e = HistoryReader.parse(history.val());
          byte[] encoded = KeyCodec.encode(e.getKv().getKey().toByteArray());
          if (!isRetained(versions, encoded, revision, main, sub)) doomed.add(new Doomed(main, sub, encoded));
          fromMain = main;
          fromSub = sub + 1;
          has = history.next();
          if (doomed.size() >= CHUNK) {
            more = has;
            break;
          }
        }
      }
      for (Doomed d : doomed) {
        t.history.delete(txn, Scratch.revision(d.main, d.sub));
        t.keyrevs.delete(txn, Scratch.keyAtInverted(d.encodedKey, d.main, d.sub));
      }
      if (!more) return;
    }
  }

  /** Whether (main, sub) is the key's newest version at or below the revision, and a put. */
  private static boolean isRetained(Cursor<ByteBuffer> versions, byte[] encoded, long revision, long main, long sub) {
    if (!versions.get(Scratch.keyAtInverted(encoded, revision, -1L), GetOp.MDB_SET_RANGE)) return false;
    ByteBuffer k = versions.key();
    int at = k.position() + encoded.length;
    return k.remaining() == encoded.length + Revisions.LENGTH
        && Revisions.invertedMain(k, at) == main
        && Revisions.invertedSub(k, at) == sub
        && versions.val().get(versions.val().position()) == Tables.VERSION_PUT;
  }
}
