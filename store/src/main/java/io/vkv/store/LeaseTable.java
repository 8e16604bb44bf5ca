package io.vkv.store;

import io.vkv.api.mvccpb.KeyValue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.lmdbjava.Cursor;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * Leases and the keys attached to them, in two LMDB tables written in the apply transaction:
 * {@code leases}: id (8 bytes, big-endian) → granted TTL, checkpointed remaining TTL (8 bytes each);
 * {@code leasekeys}: id + encoded key → a 1-byte mark, so a revoke finds its keys without scanning the key space.
 */
final class LeaseTable {
  private static final ByteBuffer MARK = ByteBuffer.allocateDirect(1).put(0, (byte) 1);

  private LeaseTable() {}

  static LeaseRecord get(Tables t, Txn<ByteBuffer> txn, long id) {
    ByteBuffer v = t.leases.get(txn, idKey(id));
    return v == null ? null : new LeaseRecord(id, v.getLong(v.position()), v.getLong(v.position() + 8));
  }

  static boolean exists(Tables t, Txn<ByteBuffer> txn, long id) {
    return t.leases.get(txn, idKey(id)) != null;
  }

  static void put(Tables t, Txn<ByteBuffer> txn, LeaseRecord r) {
    ByteBuffer v = t.leases.reserve(txn, idKey(r.id()), 16);
    v.putLong(0, r.ttl()).putLong(8, r.remainingTtl());
  }

  static void delete(Tables t, Txn<ByteBuffer> txn, long id) {
    t.leases.delete(txn, idKey(id));
  }

  static List<LeaseRecord> all(Tables t, Txn<ByteBuffer> txn) {
    List<LeaseRecord> out = new ArrayList<>();
    try (Cursor<ByteBuffer> c = t.leases.openCursor(txn)) {
      for (boolean has = c.first(); has; has = c.next()) {
        ByteBuffer k = c.key();
        ByteBuffer v = c.val();
        out.add(new LeaseRecord(k.getLong(k.position()), v.getLong(v.position()), v.getLong(v.position() + 8)));
      }
    }
    return out;
  }

  static void attach(Tables t, Txn<ByteBuffer> txn, long id, byte[] encodedKey) {
    t.leasekeys.put(txn, idAndKey(id, encodedKey), MARK.duplicate());
  }

  static void detach(Tables t, Txn<ByteBuffer> txn, long id, byte[] encodedKey) {
    t.leasekeys.delete(txn, idAndKey(id, encodedKey));
  }

  /** The live KeyValues attached to the lease at the revision ({@link LiveKeys#WRITER} for the writer), in key order. */
  static List<KeyValue> keys(Tables t, Txn<ByteBuffer> txn, long revision, long id) {
    List<byte[]> encoded = new ArrayList<>();
    try (Cursor<ByteBuffer> c = t.leasekeys.openCursor(txn)) {
      for (boolean has = c.get(idKey(id), GetOp.MDB_SET_RANGE); has; has = c.next()) {
        ByteBuffer k = c.key();
        if (k.remaining() < 8 || k.getLong(k.position()) != id) break;
        byte[] key = new byte[k.remaining() - 8];
        k.duplicate().position(k.position() + 8).get(key);
        encoded.add(key);
      }
    }
    List<KeyValue> out = new ArrayList<>(encoded.size());
    for (byte[] key : encoded) {
      KeyValue kv = LiveKeys.get(t, txn, revision, key);
      if (kv != null) out.add(kv);
    }
    return out;
  }

  /** Keeps the index in step with a put: {@code before} is the lease of the key's previous version (0: none). */
  static void onPut(Tables t, Txn<ByteBuffer> txn, byte[] encodedKey, long before, long lease) {
    if (before == lease) return;
    if (before != 0) detach(t, txn, before, encodedKey);
    if (lease != 0) attach(t, txn, lease, encodedKey);
  }

  static void onDelete(Tables t, Txn<ByteBuffer> txn, byte[] encodedKey, long before) {
    if (before != 0) detach(t, txn, before, encodedKey);
  }

  private static ByteBuffer idKey(long id) {
    return Scratch.key().putLong(id).flip();
  }

  private static ByteBuffer idAndKey(long id, byte[] encodedKey) {
    return Scratch.key().putLong(id).put(encodedKey).flip();
  }
}
