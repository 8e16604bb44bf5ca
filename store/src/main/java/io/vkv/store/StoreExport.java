package io.vkv.store;

import io.vkv.api.internal.AuthRecord;
import io.vkv.api.internal.MemberAttributes;
import io.vkv.api.mvccpb.Event;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.lmdbjava.Cursor;
import org.lmdbjava.Txn;

/**
 * A consistent point-in-time view of the whole store for writing a snapshot: one LMDB read transaction, so the
 * applier keeps writing meanwhile. Not thread-safe: use it from one thread at a time, and close it promptly (an open
 * reader keeps LMDB from reusing the pages it sees).
 */
public final class StoreExport implements AutoCloseable {
  /** Receives the stored versions in revision order. */
  @FunctionalInterface
  public interface VersionVisitor {
    /** A PUT event carries the full KeyValue; a DELETE event the key and its mod revision (the tombstone). */
    void version(long main, long sub, Event event) throws IOException;
  }

  private final Tables tables;
  private final Txn<ByteBuffer> txn;
  private final Meta meta;
  /** Lets go of the store generation this view reads (a defragment may have replaced it meanwhile). */
  private final Runnable release;

  StoreExport(Tables tables, Runnable release) {
    this.tables = tables;
    this.release = release;
    this.txn = tables.env.txnRead();
    this.meta = Meta.read(tables, txn);
  }

  public long consistentIndex() {
    return meta.consistentIndex();
  }

  public long revision() {
    return meta.revision();
  }

  /** The compacted revision, 0 if never compacted. */
  public long compacted() {
    return meta.compacted();
  }

  public void forEachVersion(VersionVisitor visitor) throws IOException {
    try (Cursor<ByteBuffer> c = tables.history.openCursor(txn)) {
      for (boolean has = c.first(); has; has = c.next()) {
        ByteBuffer k = c.key();
        visitor.version(k.getLong(k.position()), k.getLong(k.position() + 8), HistoryReader.parse(c.val()));
      }
    }
  }

  /** Every lease, in id order. */
  public List<LeaseRecord> leases() {
    return LeaseTable.all(tables, txn);
  }

  public AuthRecord auth() {
    return AuthRecords.read(tables, txn).record();
  }

  /** The active alarms, in this store's order (by type, then member id). */
  public List<io.vkv.api.etcdserverpb.AlarmMember> alarms() {
    return AlarmRecords.read(tables, txn);
  }

  public List<MemberAttributes> memberAttributes() {
    return MemberRecords.read(tables, txn);
  }

  @Override
  public void close() {
    try {
      txn.close();
    } finally {
      release.run();
    }
  }
}
