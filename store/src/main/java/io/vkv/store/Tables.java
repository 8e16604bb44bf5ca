package io.vkv.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lmdbjava.ByteBufferProxy;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Stat;
import org.lmdbjava.Txn;

/**
 * The LMDB environment and its databases:
 * <ul>
 *   <li>{@code history}: (main, sub) → Event (PUT with the KeyValue, or DELETE with key and mod_revision); every
 *       key's latest version is here too, found through {@link KeyIndex}, in memory</li>
 *   <li>{@code current} and {@code keyrevs}: no longer written (stores written before the key index kept each key's
 *       latest KeyValue and its version index there); {@link #dropLegacyTables} empties them</li>
 *   <li>{@code meta}: consistent index, revision, compacted revision, member attributes</li>
 *   <li>{@code leases}, {@code leasekeys}: leases and their attached keys ({@link LeaseTable})</li>
 * </ul>
 */
final class Tables implements AutoCloseable {
  final Env<ByteBuffer> env;
  final Dbi<ByteBuffer> current;
  final Dbi<ByteBuffer> history;
  final Dbi<ByteBuffer> keyrevs;
  final Dbi<ByteBuffer> meta;
  final Dbi<ByteBuffer> leases;
  final Dbi<ByteBuffer> leasekeys;
  /** Every key's stored versions, in memory; filled by whoever opens the store for use ({@link KeyIndex#rebuild}). */
  final KeyIndex keyIndex = new KeyIndex();
  /** Fixed for the environment's life; cached because the quota check asks for the file size on every write. */
  private final long pageSize;

  private Tables(Env<ByteBuffer> env) {
    this.env = env;
    this.pageSize = env.stat().pageSize;
    // LMDB compares keys with memcmp; the flag keeps lmdbjava's Java-side comparator unsigned too
    this.current = env.openDbi("current", DbiFlags.MDB_CREATE, DbiFlags.MDB_UNSIGNEDKEY);
    this.history = env.openDbi("history", DbiFlags.MDB_CREATE, DbiFlags.MDB_UNSIGNEDKEY);
    this.keyrevs = env.openDbi("keyrevs", DbiFlags.MDB_CREATE, DbiFlags.MDB_UNSIGNEDKEY);
    this.meta = env.openDbi("meta", DbiFlags.MDB_CREATE, DbiFlags.MDB_UNSIGNEDKEY);
    this.leases = env.openDbi("leases", DbiFlags.MDB_CREATE, DbiFlags.MDB_UNSIGNEDKEY);
    this.leasekeys = env.openDbi("leasekeys", DbiFlags.MDB_CREATE, DbiFlags.MDB_UNSIGNEDKEY);
  }

  static Tables open(Path dir, long mapSize) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DataFileCheck.requireWhole(dir.resolve("data.mdb")); // a cut-short file would crash the process on first read
    Env<ByteBuffer> env = Env.create(ByteBufferProxy.PROXY_OPTIMAL)
        .setMapSize(mapSize)
        .setMaxDbs(6)
        .setMaxReaders(1024)
        // NOSYNC: the WAL is the durability source (replayed above the consistent index); NOMETASYNC keeps
        // integrity better than NOSYNC alone on power loss. NOTLS: read txns may hop event-loop threads.
        .open(dir.toFile(), EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NOMETASYNC, EnvFlags.MDB_NOTLS, EnvFlags.MDB_NORDAHEAD);
    return new Tables(env);
  }

  /** Fills {@link #keyIndex} from {@code history}: after opening the store for use, a load or a restore. */
  void loadKeyIndex() {
    try (Txn<ByteBuffer> read = env.txnRead()) {
      keyIndex.rebuild(this, read);
    }
  }

  /**
   * Empties {@code current} and {@code keyrevs} if a store written before {@link KeyIndex} left entries there: the
   * same facts are in {@code history}, and nothing reads or updates those tables any more.
   */
  void dropLegacyTables() {
    try (Txn<ByteBuffer> read = env.txnRead()) {
      if (current.stat(read).entries == 0 && keyrevs.stat(read).entries == 0) return;
    }
    try (Txn<ByteBuffer> txn = env.txnWrite()) {
      current.drop(txn, false);
      keyrevs.drop(txn, false);
      txn.commit();
    }
  }

  long pageSize() {
    return pageSize;
  }

  /** Bytes of the data file LMDB has handed out so far (its high-water mark). */
  long fileSize() {
    return (env.info().lastPageNumber + 1) * pageSize();
  }

  /** Bytes held by live pages of all databases (freed pages awaiting reuse excluded). */
  long inUse() {
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      long pages = pages(env.stat());
      for (Dbi<ByteBuffer> d : new Dbi[] {current, history, keyrevs, meta, leases, leasekeys}) pages += pages(d.stat(txn));
      return pages * pageSize();
    }
  }

  private static long pages(Stat s) {
    return s.branchPages + s.leafPages + s.overflowPages;
  }

  @Override
  public void close() {
    env.close();
  }
}
