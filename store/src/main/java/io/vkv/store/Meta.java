package io.vkv.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.lmdbjava.Txn;

/**
 * The store's bookkeeping in the {@code meta} table, written in the same transaction as the data it describes.
 *
 * @param consistentIndex the last applied log index
 * @param revision the current store revision (1 on an empty store, as in etcd)
 * @param compacted the compacted revision (0 if never compacted)
 */
record Meta(long consistentIndex, long revision, long compacted) {
  static final Meta EMPTY = new Meta(0, 1, 0);
  private static final byte[] CONSISTENT_INDEX = "consistent_index".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] REVISION = "revision".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] COMPACTED = "compacted_revision".getBytes(StandardCharsets.US_ASCII);

  static Meta read(Tables t, Txn<ByteBuffer> txn) {
    return new Meta(
        get(t, txn, CONSISTENT_INDEX, EMPTY.consistentIndex),
        get(t, txn, REVISION, EMPTY.revision),
        get(t, txn, COMPACTED, EMPTY.compacted));
  }

  void write(Tables t, Txn<ByteBuffer> txn) {
    put(t, txn, CONSISTENT_INDEX, consistentIndex);
    put(t, txn, REVISION, revision);
    put(t, txn, COMPACTED, compacted);
  }

  private static long get(Tables t, Txn<ByteBuffer> txn, byte[] name, long absent) {
    ByteBuffer v = t.meta.get(txn, Scratch.key(name));
    return v == null ? absent : v.getLong(v.position());
  }

  private static void put(Tables t, Txn<ByteBuffer> txn, byte[] name, long value) {
    t.meta.reserve(txn, Scratch.key(name), Long.BYTES).putLong(0, value);
  }
}
