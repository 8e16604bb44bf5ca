package io.vkv.store;

import io.vkv.api.mvccpb.KeyValue;
import java.nio.ByteBuffer;
import org.lmdbjava.Cursor;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * The key space as of an older revision, read from {@code keyrevs} (newest version of each key first) and
 * {@code history} (the versions' contents). Each key costs one or two seeks.
 */
final class HistoricalVersions implements VersionSource {
  private final Tables tables;
  private final Txn<ByteBuffer> txn;
  private final Cursor<ByteBuffer> cursor;
  private final long revision;
  private byte[] encodedKey;
  private ByteBuffer encodedKeyView;
  private boolean live;
  private long versionMain;
  private long versionSub;

  HistoricalVersions(Tables tables, Txn<ByteBuffer> txn, long revision) {
    this.tables = tables;
    this.txn = txn;
    this.cursor = tables.keyrevs.openCursor(txn);
    this.revision = revision;
  }

  @Override
  public boolean seek(byte[] encoded) {
    return cursor.get(Scratch.key(encoded), GetOp.MDB_SET_RANGE) && resolve();
  }

  @Override
  public boolean next() {
    // every version entry of this key sorts below key + FF..FF (an inverted revision of 0 never exists)
    return cursor.get(Scratch.keyThenBytes(encodedKey, (byte) 0xFF, Revisions.LENGTH), GetOp.MDB_SET_RANGE)
        && resolve();
  }

  /** The cursor is on some version of a key: find that key's newest version at or below the revision. */
  private boolean resolve() {
    ByteBuffer k = cursor.key();
    int keyLen = k.remaining() - Revisions.LENGTH;
    encodedKey = Bytes.copy(k, k.position(), keyLen);
    encodedKeyView = ByteBuffer.wrap(encodedKey);
    if (Revisions.invertedMain(k, k.position() + keyLen) > revision) {
      // versions newer than the revision come first: jump to the newest at or below it
      boolean found = cursor.get(Scratch.keyAtInverted(encodedKey, revision, -1L), GetOp.MDB_SET_RANGE);
      if (!found || !sameKey(cursor.key(), keyLen)) {
        live = false;
        return true;
      }
      k = cursor.key();
    }
    int revAt = k.position() + keyLen;
    versionMain = Revisions.invertedMain(k, revAt);
    versionSub = Revisions.invertedSub(k, revAt);
    live = cursor.val().get(cursor.val().position()) == Tables.VERSION_PUT;
    return true;
  }

  private boolean sameKey(ByteBuffer k, int keyLen) {
    return k.remaining() == keyLen + Revisions.LENGTH && Bytes.compare(k, k.position(), keyLen, encodedKey) == 0;
  }

  @Override
  public ByteBuffer keyBuffer() {
    return encodedKeyView;
  }

  @Override
  public int keyOffset() {
    return 0;
  }

  @Override
  public int keyLength() {
    return encodedKey.length;
  }

  @Override
  public boolean live() {
    return live;
  }

  @Override
  public KeyValue value() {
    return HistoryReader.eventAt(tables, txn, versionMain, versionSub).getKv();
  }

  @Override
  public void close() {
    cursor.close();
  }
}
