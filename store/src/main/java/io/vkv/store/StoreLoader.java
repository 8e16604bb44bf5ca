package io.vkv.store;

import io.vkv.api.internal.AuthRecord;
import io.vkv.api.mvccpb.Event;
import io.vkv.api.mvccpb.KeyValue;
import java.nio.ByteBuffer;
import org.lmdbjava.Txn;

/**
 * Fills an empty store from a snapshot inside one write transaction ({@link MvccStore#load}): versions in revision
 * order, each updating {@code history} and the lease index exactly as applying them would have (the store rebuilds
 * its {@link KeyIndex} from {@code history} once the load commits).
 */
public final class StoreLoader {
  private final Tables tables;
  private final Txn<ByteBuffer> txn;
  private long lastMain;
  private long lastSub = -1;
  private AuthRecord auth;
  private Meta meta;
  private final java.util.List<io.vkv.api.etcdserverpb.AlarmMember> alarms = new java.util.ArrayList<>();
  /** The lease of every live key loaded so far, by encoded key: what the lease index needs of a key's previous version. */
  private final java.util.Map<ByteBuffer, Long> liveLeases = new java.util.HashMap<>();

  StoreLoader(Tables tables, Txn<ByteBuffer> txn) {
    this.tables = tables;
    this.txn = txn;
  }

  /** A put of {@code kv} (its mod revision is {@code main}). Revisions must ascend. */
  public void put(long main, long sub, KeyValue kv) {
    checkOrder(main, sub);
    byte[] encoded = KeyCodec.encode(kv.getKey().toByteArray());
    Long before = liveLeases.put(ByteBuffer.wrap(encoded), kv.getLease());
    LeaseTable.onPut(tables, txn, encoded, before == null ? 0 : before, kv.getLease());
    Event e = Event.newBuilder().setType(Event.EventType.PUT).setKv(kv).build();
    reserve(tables.history, Scratch.revision(main, sub), e.toByteArray());
  }

  /** A delete of {@code key} at {@code main}.{@code sub} (a tombstone). */
  public void delete(long main, long sub, com.google.protobuf.ByteString key) {
    checkOrder(main, sub);
    byte[] encoded = KeyCodec.encode(key.toByteArray());
    Long before = liveLeases.remove(ByteBuffer.wrap(encoded));
    if (before != null) LeaseTable.onDelete(tables, txn, encoded, before);
    Event e = Event.newBuilder().setType(Event.EventType.DELETE)
        .setKv(KeyValue.newBuilder().setKey(key).setModRevision(main)).build();
    reserve(tables.history, Scratch.revision(main, sub), e.toByteArray());
  }

  public void lease(LeaseRecord lease) {
    LeaseTable.put(tables, txn, lease);
  }

  /** An active alarm (etcd's {@code alarm} bucket); alarms of a type this store does not know are left out. */
  public void alarm(io.vkv.api.etcdserverpb.AlarmMember alarm) {
    alarms.add(alarm);
  }

  public void auth(AuthRecord record) {
    this.auth = record;
  }

  /** The bookkeeping to end with; {@code revision} must be at least the last version's main revision. */
  public void meta(long consistentIndex, long revision, long compacted) {
    if (revision < lastMain) throw new IllegalArgumentException("revision " + revision + " is below the last version " + lastMain);
    this.meta = new Meta(consistentIndex, Math.max(revision, 1), compacted);
  }

  /** The highest main revision loaded so far (0 for none). */
  public long lastRevision() {
    return lastMain;
  }

  /** Writes meta and auth; returns the meta. Called by the store once the loading body returned. */
  Meta finish() {
    if (meta == null) meta(0, lastMain, 0);
    meta.write(tables, txn);
    if (auth != null) AuthRecords.write(tables, txn, auth);
    AlarmRecords.replace(tables, txn, alarms);
    return meta;
  }

  private void checkOrder(long main, long sub) {
    if (main < lastMain || (main == lastMain && sub <= lastSub)) {
      throw new IllegalArgumentException("revision " + main + "." + sub + " is not after " + lastMain + "." + lastSub);
    }
    lastMain = main;
    lastSub = sub;
  }

  private void reserve(org.lmdbjava.Dbi<ByteBuffer> dbi, ByteBuffer key, byte[] value) {
    dbi.reserve(txn, key, value.length).put(value);
  }
}
