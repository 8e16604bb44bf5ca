package io.vkv.store;

import io.vkv.api.mvccpb.KeyValue;
import java.nio.ByteBuffer;
import java.util.Iterator;
import org.lmdbjava.Txn;

/**
 * The key space as of a revision (the latest one of a transaction included): keys and their versions from the
 * {@link KeyIndex}, the versions' contents from {@code history}. A reader must check
 * {@link KeyIndex#compactedThrough()} once done (a compaction committed meanwhile may have dropped versions below it
 * from the index).
 */
final class VersionsAt implements VersionSource {
  private final Tables tables;
  private final Txn<ByteBuffer> txn;
  private final long revision;
  private Iterator<KeyIndex.Entry> keys;
  private KeyIndex.Entry at;
  private ByteBuffer keyView;
  private KeyIndex.Version version;

  VersionsAt(Tables tables, Txn<ByteBuffer> txn, long revision) {
    this.tables = tables;
    this.txn = txn;
    this.revision = revision;
  }

  @Override
  public boolean seek(byte[] encoded) {
    keys = tables.keyIndex.from(encoded);
    return next();
  }

  /** To the next key (false past the last), with its newest version at or below the revision, if any. */
  @Override
  public boolean next() {
    if (!keys.hasNext()) return false;
    at = keys.next();
    keyView = ByteBuffer.wrap(at.key);
    version = at.versions().at(revision);
    return true;
  }

  @Override
  public ByteBuffer keyBuffer() {
    return keyView;
  }

  @Override
  public int keyOffset() {
    return 0;
  }

  @Override
  public int keyLength() {
    return at.key.length;
  }

  @Override
  public boolean live() {
    return version != null && !version.tombstone();
  }

  @Override
  public KeyValue value() {
    return HistoryReader.eventAt(tables, txn, version.main(), version.sub()).getKv();
  }

  @Override
  public void close() {}
}
