package io.vkv.store;

import io.vkv.api.EtcdError;
import io.vkv.api.EtcdException;
import io.vkv.api.etcdserverpb.AlarmMember;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.ResponseOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.etcdserverpb.TxnResponse;
import io.vkv.api.internal.MemberAttributes;
import io.vkv.api.mvccpb.Event;
import io.vkv.api.mvccpb.KeyValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.lmdbjava.CopyFlags;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

/**
 * The MVCC key space with etcd v3 semantics on LMDB. {@link #apply} is called by one thread (the applier) and
 * commits one LMDB write transaction per batch, consistent index included; reads may run concurrently from any
 * thread, each in its own LMDB read transaction (readers never block the writer). Readers are handed the
 * {@link MvccReader} side only.
 */
public final class MvccStore implements MvccReader, AutoCloseable {
  /** LMDB's map is an address-space reservation, not an allocation: leave ample room above the quota. */
  private static final long MAP_HEADROOM = 8L << 30;

  private final Path dir;
  private final long quotaBytes;
  private final long mapSize;
  /** The open environment; replaced by a defragment (under this store's monitor). */
  private volatile StoreGeneration current;
  private volatile Meta committed;
  private volatile AuthState auth;
  private volatile List<AlarmMember> alarms;
  /** The data file's size as of the last commit: the quota check reads it on every write, without a native call. */
  private volatile long fileSize;
  private volatile boolean closed;
  /**
   * Held (shared) by reads that use the {@link KeyIndex} from opening their transaction to their last look-up, and
   * (exclusive) by a restore while it commits and rebuilds the index.
   */
  private final ReentrantReadWriteLock keyIndexReaders = new ReentrantReadWriteLock();
  /** Test-only: a full disk at run time (off unless a system property names its file). */
  private final CommitFailpoint failpoint;

  private MvccStore(Path dir, long quotaBytes, long mapSize, CommitFailpoint failpoint) {
    this.dir = dir;
    this.failpoint = failpoint;
    this.quotaBytes = quotaBytes;
    this.mapSize = mapSize;
    Defragmenter.cleanUp(dir);
    this.current = new StoreGeneration(Tables.open(dir, mapSize), null);
    Tables tables = current.tables;
    tables.dropLegacyTables();
    tables.loadKeyIndex();
    try (Txn<ByteBuffer> txn = tables.env.txnRead()) {
      this.committed = Meta.read(tables, txn);
      this.auth = AuthRecords.read(tables, txn);
      this.alarms = AlarmRecords.read(tables, txn);
    }
    this.fileSize = tables.fileSize();
  }

  /** Opens (creating if missing) the store in {@code c.dir()}; a reopened store keeps everything. */
  public static MvccStore open(StoreConfig c) {
    return open(c, CommitFailpoint.fromSystemProperty());
  }

  static MvccStore open(StoreConfig c, CommitFailpoint failpoint) {
    long quota = c.effectiveQuota();
    return new MvccStore(c.dir(), quota, Math.max(2 * quota, quota + MAP_HEADROOM), failpoint);
  }

  /** The current generation, retained: release it when done (readers hold it across a defragment). */
  private StoreGeneration acquire() {
    while (true) {
      StoreGeneration g = current;
      if (g.retain()) return g;
      if (closed) throw new IllegalStateException("the store is closed");
    }
  }

  /**
   * Applies a batch of committed entries in one write transaction and returns one result per applied entry.
   * Entries at or below {@link #consistentIndex()} were applied before (replay after a crash) and are skipped.
   */
  public synchronized List<ApplyResult> apply(List<LogEntry> batch) {
    Map<Integer, EtcdException> forced = new HashMap<>();
    while (true) {
      int[] position = {0};
      try {
        return attempt(batch, forced, position);
      } catch (PartialWriteException e) {
        forced.put(position[0], e.error);
      } catch (Env.MapFullException e) {
        if (!forceNoSpace(batch, forced, position[0])) throw e;
      }
    }
  }

  /**
   * The signature from before leases were stored: {@code ignoredLeaseCheck} is not consulted any more (a put's
   * lease must exist in the store's lease table). Kept for the store benchmarks, whose requests carry no lease.
   */
  public List<ApplyResult> apply(List<LogEntry> batch, java.util.function.LongPredicate ignoredLeaseCheck) {
    return apply(batch);
  }

  private List<ApplyResult> attempt(List<LogEntry> batch, Map<Integer, EtcdException> forced, int[] position) {
    Meta before = committed;
    List<ApplyResult> results = new ArrayList<>(batch.size());
    long index = before.consistentIndex();
    StoreGeneration g = current; // the writer's own: only a defragment replaces it, under the same monitor
    Tables tables = g.tables;
    boolean done = false;
    try (Txn<ByteBuffer> txn = tables.env.txnWrite()) {
      BatchState state = new BatchState(before, auth, alarms, id -> LeaseTable.exists(tables, txn, id));
      for (int i = 0; i < batch.size(); i++) {
        LogEntry e = batch.get(i);
        if (e.index() <= index) continue;
        position[0] = i;
        results.add(g.applier.apply(txn, e, state, forced.get(i)));
        index = e.index();
      }
      if (index == before.consistentIndex()) {
        done = true;
        return results; // everything was a replay
      }
      position[0] = batch.size();
      Meta after = new Meta(index, state.revision, state.compacted);
      after.write(tables, txn);
      failpoint.beforeCommit(); // test-only full disk: the batch is aborted with the transaction
      txn.commit();
      tables.keyIndex.commit();
      done = true;
      committed = after;
      fileSize = tables.fileSize();
      auth = state.auth;
      alarms = state.alarms;
    } finally {
      if (!done) tables.keyIndex.rollback(); // the transaction aborted: so do the versions it added
    }
    return results;
  }

  /**
   * After MDB_MAP_FULL: fail the entry that hit it with NO_SPACE (or, if the commit hit it, every write
   * entry). False when there is nothing left to fail, i.e. even the bookkeeping does not fit.
   */
  private static boolean forceNoSpace(List<LogEntry> batch, Map<Integer, EtcdException> forced, int position) {
    int before = forced.size();
    int from = position < batch.size() ? position : 0;
    int to = position < batch.size() ? position + 1 : batch.size();
    for (int i = from; i < to; i++) {
      if (EntryApplier.isWrite(batch.get(i).request())) forced.putIfAbsent(i, EtcdError.NO_SPACE.exception());
    }
    return forced.size() > before;
  }

  @Override
  public RangeResponse range(RangeRequest r) {
    return readIndexed((g, txn, m) -> g.ranges.range(txn, r, m.revision(), m.compacted()));
  }

  @Override
  public TxnResponse readOnlyTxn(TxnRequest r) {
    if (!TxnRunner.isReadOnly(r)) throw new IllegalArgumentException("a txn with writes goes through the log");
    return readIndexed((g, txn, m) -> {
      boolean succeeded = CompareEvaluator.all(r.getCompareList(),
          range -> LiveKeys.range(g.tables, txn, m.revision(), range));
      TxnResponse.Builder out = TxnResponse.newBuilder().setSucceeded(succeeded);
      for (RequestOp op : succeeded ? r.getSuccessList() : r.getFailureList()) {
        out.addResponses(ResponseOp.newBuilder()
            .setResponseRange(g.ranges.range(txn, op.getRequestRange(), m.revision(), m.compacted())));
      }
      return out.setHeader(KvOps.header(m.revision())).build();
    });
  }

  /** A read through the key index, given its generation, its transaction and the meta that transaction sees. */
  interface IndexedRead<T> {
    T read(StoreGeneration g, Txn<ByteBuffer> txn, Meta m);
  }

  /**
   * Runs a read that uses the key index in a read transaction of the current generation, holding the index
   * readers' lock (a restore swaps the index under its write lock). If a compaction above the transaction's
   * revision committed meanwhile, the index may have dropped a version the read needed, so the read runs again in
   * a new transaction, whose revision is then at least the compaction's. Reads below a compaction fail inside
   * {@code body} (COMPACTED) instead.
   */
  <T> T readIndexed(IndexedRead<T> body) { // package-visible for tests
    while (true) {
      StoreGeneration g = acquire();
      keyIndexReaders.readLock().lock();
      try (Txn<ByteBuffer> txn = g.tables.env.txnRead()) {
        Meta m = Meta.read(g.tables, txn);
        T result = body.read(g, txn, m);
        if (m.revision() >= g.tables.keyIndex.compactedThrough()) return result;
      } finally {
        keyIndexReaders.readLock().unlock();
        g.release();
      }
    }
  }

  @Override
  public List<AlarmMember> alarms() {
    return alarms;
  }

  @Override
  public long quotaBytes() {
    return quotaBytes;
  }

  @Override
  public AuthState auth() {
    return auth;
  }

  @Override
  public long currentRevision() {
    return committed.revision();
  }

  @Override
  public long compactedRevision() {
    return committed.compacted();
  }

  @Override
  public long consistentIndex() {
    return committed.consistentIndex();
  }

  @Override
  public long dbSize() {
    return fileSize;
  }

  @Override
  public long dbSizeInUse() {
    return read(Tables::inUse);
  }

  /** Runs {@code body} on the current generation's tables, which it keeps open meanwhile. */
  private <T> T read(java.util.function.Function<Tables, T> body) {
    StoreGeneration g = acquire();
    try {
      return body.apply(g.tables);
    } finally {
      g.release();
    }
  }

  @Override
  public int hashKV(long revision) {
    return hashByRevision(revision).hash();
  }

  @Override
  public KvHash hashByRevision(long revision) {
    return inTxn((tables, txn) -> {
      Meta m = Meta.read(tables, txn);
      long rev = revision <= 0 ? m.revision() : revision;
      if (rev > m.revision()) throw EtcdError.FUTURE_REV.exception();
      if (rev < m.compacted()) throw EtcdError.COMPACTED.exception();
      return new KvHash(HistoryReader.hash(tables, txn, rev), m.revision(), m.compacted() > 0 ? m.compacted() : -1);
    });
  }

  @Override
  public List<Event> history(long fromRevision, long toRevisionInclusive, int maxEvents) {
    return readIndexed((g, txn, m) -> {
      if (m.compacted() > 0 && fromRevision <= m.compacted()) throw EtcdError.COMPACTED.exception();
      List<Event> events = HistoryReader.events(g.tables, txn, Math.max(fromRevision, 1), toRevisionInclusive, maxEvents);
      // a compaction committed meanwhile may have dropped the prev_kv of events at or below it from the index
      long compacted = g.tables.keyIndex.compactedThrough();
      if (compacted > 0 && fromRevision <= compacted) throw EtcdError.COMPACTED.exception();
      return events;
    });
  }

  @Override
  public List<KeyValue> keysWithLease(long leaseId) {
    return readIndexed((g, txn, m) -> LeaseTable.keys(g.tables, txn, m.revision(), leaseId));
  }

  @Override
  public LeaseRecord lease(long id) {
    return inTxn((tables, txn) -> LeaseTable.get(tables, txn, id));
  }

  @Override
  public List<LeaseRecord> leases() {
    return inTxn((tables, txn) -> LeaseTable.all(tables, txn));
  }

  @Override
  public List<MemberAttributes> memberAttributes() {
    return inTxn((tables, txn) -> MemberRecords.read(tables, txn));
  }

  @Override
  public io.vkv.api.internal.ClusterMembers clusterMembers() {
    return inTxn((tables, txn) -> MemberRecords.readMembers(tables, txn));
  }

  /** Runs {@code body} in a read transaction of the current generation, which it keeps open meanwhile. */
  private <T> T inTxn(java.util.function.BiFunction<Tables, Txn<ByteBuffer>, T> body) {
    StoreGeneration g = acquire();
    try (Txn<ByteBuffer> txn = g.tables.env.txnRead()) {
      return body.apply(g.tables, txn);
    } finally {
      g.release();
    }
  }

  @Override
  public StoreExport openExport() {
    StoreGeneration g = acquire();
    try {
      return new StoreExport(g.tables, g::release);
    } catch (RuntimeException e) {
      g.release();
      throw e;
    }
  }

  /** What fills an empty store through a {@link StoreLoader}. */
  @FunctionalInterface
  public interface LoadBody {
    void load(StoreLoader loader) throws java.io.IOException;
  }

  /**
   * Fills this store, which must be empty (never written), in one write transaction: nothing is committed unless
   * {@code body} returns normally.
   */
  public synchronized void load(LoadBody body) throws IOException {
    if (committed.revision() != Meta.EMPTY.revision() || committed.consistentIndex() != 0) {
      throw new IllegalStateException("the store is not empty (revision " + committed.revision() + ")");
    }
    Tables tables = current.tables;
    try (Txn<ByteBuffer> txn = tables.env.txnWrite()) {
      StoreLoader loader = new StoreLoader(tables, txn);
      body.load(loader);
      Meta loaded = loader.finish();
      txn.commit();
      tables.loadKeyIndex();
      committed = loaded;
      fileSize = tables.fileSize();
      try (Txn<ByteBuffer> read = tables.env.txnRead()) {
        auth = AuthRecords.read(tables, read);
        alarms = AlarmRecords.read(tables, read);
      }
    }
    tables.env.sync(true);
  }

  /** Writes a compacted copy of the store into {@code target} (created if missing; must hold no data.mdb). */
  public void snapshot(Path target) {
    try {
      Files.createDirectories(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    read(t -> {
      t.env.copy(target.toFile(), CopyFlags.MDB_CP_COMPACT);
      return null;
    });
  }

  /**
   * Rewrites the data file without its free pages (etcd's defragment), so {@link #dbSize()} shrinks to about
   * {@link #dbSizeInUse()}. Holds the writer's monitor for the copy (the applier waits); readers go on all along,
   * the ones in flight on the old file, later ones on the new.
   */
  public synchronized void defragment() {
    if (closed) throw new IllegalStateException("the store is closed");
    StoreGeneration old = current;
    current = Defragmenter.defragment(dir, old, mapSize);
    fileSize = current.tables.fileSize();
    old.release();
  }

  /**
   * Replaces everything in this store with the snapshot copy in {@code dir} (as written by {@link #snapshot}, here
   * or on another member), atomically, and forces it to disk. Concurrent reads see the old or the new contents.
   */
  public synchronized void restore(Path dir) {
    Tables tables = current.tables;
    try (Txn<ByteBuffer> txn = tables.env.txnWrite()) {
      Meta restored = SnapshotRestore.copy(dir, tables, txn);
      AuthState restoredAuth = AuthRecords.read(tables, txn);
      List<AlarmMember> restoredAlarms = AlarmRecords.read(tables, txn);
      KeyIndex restoredIndex = KeyIndex.read(tables, txn); // before the lock: readers wait only for the swap
      keyIndexReaders.writeLock().lock(); // no reader may pair the old contents with the new index, or the reverse
      try {
        txn.commit();
        tables.keyIndex.install(restoredIndex);
      } finally {
        keyIndexReaders.writeLock().unlock();
      }
      committed = restored;
      fileSize = tables.fileSize();
      auth = restoredAuth;
      alarms = restoredAlarms;
    }
    tables.env.sync(true);
  }

  /** Forces everything committed so far to disk: a checkpoint below which the WAL may be compacted. */
  public void sync() {
    read(t -> {
      t.env.sync(true);
      return null;
    });
  }

  /** Closes the environment once the readers in flight are done. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    current.release();
  }
}
