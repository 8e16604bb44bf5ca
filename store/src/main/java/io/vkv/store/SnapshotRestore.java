package io.vkv.store;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.PutFlags;
import org.lmdbjava.Txn;

/**
 * Replaces a store's contents with those of a snapshot copy ({@link MvccStore#snapshot}) in ONE write transaction:
 * every table is emptied and refilled from the copy, meta included. LMDB commits a transaction atomically, so a
 * crash leaves the old contents or the new ones, never a mix; and the environment stays open, so readers on other
 * threads keep their consistent view until they finish (closing an LMDB environment under them is not safe).
 */
final class SnapshotRestore {

  /** Copies every table of the snapshot in {@code dir} into {@code into} within {@code txn}; returns the new meta. */
  static Meta copy(Path dir, Tables into, Txn<ByteBuffer> txn) {
    Path file = dir.resolve("data.mdb");
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no LMDB data file in " + dir);
    long size;
    try {
      size = Files.size(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    try (Tables from = Tables.open(dir, Math.max(64L << 20, 2 * size))) {
      try (Txn<ByteBuffer> read = from.env.txnRead()) {
        copy(from.history, into.history, read, txn);
        // no longer written (the key index, rebuilt from history, replaced both); a snapshot may still have them
        into.current.drop(txn, false);
        into.keyrevs.drop(txn, false);
        copy(from.meta, into.meta, read, txn);
        copy(from.leases, into.leases, read, txn);
        copy(from.leasekeys, into.leasekeys, read, txn);
        return Meta.read(from, read);
      }
    }
  }

  private static void copy(Dbi<ByteBuffer> from, Dbi<ByteBuffer> into, Txn<ByteBuffer> read, Txn<ByteBuffer> write) {
    into.drop(write, false); // empties the table, keeps it
    try (Cursor<ByteBuffer> c = from.openCursor(read)) {
      // the copy iterates in key order, which is the order the target wants: append without searching
      for (boolean more = c.first(); more; more = c.next()) {
        into.put(write, c.key(), c.val(), PutFlags.MDB_APPEND);
      }
    }
  }

  private SnapshotRestore() {}
}
