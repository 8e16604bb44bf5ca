package io.vkv.store;

import io.vkv.api.mvccpb.KeyValue;
import java.nio.ByteBuffer;
import org.lmdbjava.Txn;

/**
 * The key space as of an older revision: keys and their versions from the {@link KeyIndex}, the versions' contents
 * from {@code history}. A reader must check {@link KeyIndex#compactedThrough()} once done (a compaction committed
 * meanwhile may have dropped versions below it from the index).
 */
final class HistoricalVersions implements VersionSource {
  private final Tables tables;
  private final Txn<ByteBuffer> txn;
  private final long revision;
  private KeyIndex.Entry at;
  private ByteBuffer keyView;
  private KeyIndex.Version version;

  HistoricalVersions(Tables tables, Txn<ByteBuffer> txn, long revision) {
    this.tables = tables;
    this.txn = txn;
    this.revision = revision;
  }

  @Override
  public boolean seek(byte[] encoded) {
    at = tables.keyIndex.ceiling(encoded);
    return resolve();
  }

  @Override
  public boolean next() {
    at = tables.keyIndex.higher(at.key);
    return resolve();
  }

  /** On a key (or past the last): its newest version at or below the revision, if any. */
  private boolean resolve() {
    if (at == null) return false;
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
