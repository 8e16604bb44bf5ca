package io.vkv.node.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import io.vkv.api.internal.InternalRequest;
import io.vkv.consensus.ConfState;
import io.vkv.consensus.Entry;
import io.vkv.consensus.SnapshotMeta;
import io.vkv.node.apply.Applier;
import io.vkv.node.apply.WriteStages;
import io.vkv.store.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Applies each Ready's committed entries to the store in one write transaction, and every
 * {@link LogRetention#compactEvery()} entries checkpoints the store and drops the WAL prefix. A batch is applied
 * on the caller's thread (the Raft loop) when the store is free, which saves the two thread wake-ups of a
 * hand-off; otherwise (a batch still being applied, a snapshot being taken or installed, a compaction) it queues
 * for the applier thread, which runs everything in order. One lock keeps the store to one of them at a time.
 */
final class ApplyStage {
  private static final Logger LOG = Logger.getLogger(ApplyStage.class.getName());

  private final Applier applier;
  private final WalStorage storage;
  private final Runnable checkpoint;
  private final WriteStages stages;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "vkv-applier");
    t.setDaemon(true);
    return t;
  });
  /** Held while the store is being changed or copied, by the caller of apply or by the applier thread. */
  private final ReentrantLock store = new ReentrantLock();
  private final LogRetention retention;
  /** The last apply or install handed out (the caller's thread only): later batches go after it. */
  private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
  private volatile boolean compactionQueued;
  private volatile long compactedIndex; // written under store, read by queueCompactionIfDue too
  /** The membership as of the applied index (what a snapshot taken now must carry; guarded by store). */
  private ConfState members;

  /** @param checkpoint makes everything applied so far durable in the store (so the WAL prefix can go) */
  ApplyStage(Applier applier, WalStorage storage, Runnable checkpoint, WriteStages stages, LogRetention retention) {
    this.applier = applier;
    this.retention = retention;
    this.stages = stages;
    this.storage = storage;
    this.checkpoint = checkpoint;
    this.compactedIndex = storage.firstIndex() - 1;
    this.members = storage.confState();
  }

  /**
   * Applies the entries, on this thread if the store is free (the future is then complete on return), else on
   * the applier thread after everything handed out before. Call from one thread only (the Raft loop).
   */
  CompletableFuture<Void> apply(List<Entry> committed, ConfState members) {
    long handedAt = System.nanoTime();
    if (last.isDone() && store.tryLock()) {
      try {
        applyLocked(committed, members, handedAt);
        last = CompletableFuture.completedFuture(null);
      } catch (RuntimeException | Error e) {
        last = CompletableFuture.failedFuture(e);
      } finally {
        store.unlock();
      }
      if (!last.isCompletedExceptionally()) queueCompactionIfDue();
      return last;
    }
    last = onApplierThread(() -> {
      applyLocked(committed, members, handedAt);
      return null;
    }).thenRun(this::queueCompactionIfDue);
    return last;
  }

  private void applyLocked(List<Entry> committed, ConfState members, long handedAt) {
    long start = System.nanoTime();
    stages.record(WriteStages.Stage.APPLY_WAIT, start - handedAt);
    List<LogEntry> batch = new ArrayList<>(committed.size());
    for (Entry e : committed) batch.add(new LogEntry(e.index(), request(e)));
    applier.apply(batch);
    stages.record(WriteStages.Stage.APPLY, System.nanoTime() - start);
    this.members = members;
  }

  /**
   * Leader side of a snapshot transfer: a compacted copy of the store in {@code dir}, taken on the applier
   * thread so that it holds exactly the applied index, with that entry's term and the membership as of it: the
   * voter and learner sets for the core, and as the metadata's data the store's membership record (peer URLs,
   * removed ids), which the receiver takes on its Raft loop before any entry committed after the snapshot.
   */
  CompletableFuture<SnapshotMeta> snapshot(java.nio.file.Path dir) {
    return onApplierThread(() -> {
      long index = applier.snapshot(dir);
      io.vkv.api.internal.ClusterMembers record = applier.clusterMembers();
      return SnapshotMeta.of(index, storage.term(index), members, record == null ? new byte[0] : record.toByteArray());
    });
  }

  /**
   * Defragments the store on the applier thread holding the store: batches that commit meanwhile queue behind it
   * (the Raft loop never waits for it), reads go on.
   */
  CompletableFuture<Void> defragment() {
    return onApplierThread(() -> {
      long start = System.nanoTime();
      applier.defragment();
      LOG.info(() -> String.format("defragmented the store in %d ms", (System.nanoTime() - start) / 1_000_000));
      return null;
    });
  }

  /**
   * Follower side: replaces the store with the received copy in {@code dir} (which the WAL already records as the
   * snapshot, so a crash before this finishes installs it again on restart), then deletes the copy.
   */
  CompletableFuture<Void> install(SnapshotMeta snap, java.nio.file.Path dir) {
    last = onApplierThread(() -> {
      installLocked(snap, dir);
      return null;
    });
    return last;
  }

  /** Runs {@code work} on the applier thread, in order after what was queued before, holding the store. */
  private <T> CompletableFuture<T> onApplierThread(Supplier<T> work) {
    return CompletableFuture.supplyAsync(() -> {
      store.lock();
      try {
        return work.get();
      } finally {
        store.unlock();
      }
    }, thread);
  }

  private void installLocked(SnapshotMeta snap, java.nio.file.Path dir) {
    applier.restore(dir);
    if (applier.appliedIndex() != snap.index()) {
      throw new IllegalStateException("the snapshot for index " + snap.index() + " holds a store at index "
          + applier.appliedIndex());
    }
    compactedIndex = snap.index();
    members = snap.confState();
    SnapshotFiles.deleteTree(dir);
    LOG.info(() -> "installed the snapshot at index " + snap.index() + " (term " + snap.term() + ")");
  }

  /**
   * The leader's no-op (empty data) and membership changes carry no client request: they are applied as an
   * empty request, which writes nothing but still moves the store's consistent index past them.
   */
  private static InternalRequest request(Entry e) {
    if (e.type() != Entry.Type.NORMAL || e.data().length == 0) return InternalRequest.getDefaultInstance();
    try {
      return InternalRequest.parseFrom(e.data());
    } catch (InvalidProtocolBufferException ex) {
      throw new IllegalStateException("log entry " + e.index() + " is not a request: " + ex.getMessage(), ex);
    }
  }

  /**
   * Compaction checkpoints the store (an fsync of its own) and waits for the WAL: queued for the applier thread,
   * so that a batch applied on the Raft loop never waits for it.
   */
  private void queueCompactionIfDue() {
    if (compactionQueued || applier.appliedIndex() - retention.catchUpEntries() - compactedIndex
        < retention.compactEvery()) {
      return;
    }
    compactionQueued = true;
    thread.execute(() -> {
      store.lock();
      try {
        compactLocked();
      } catch (RuntimeException e) {
        // the WAL keeps its prefix; the next due compaction tries again
        LOG.log(Level.WARNING, "compacting the WAL failed", e);
      } finally {
        compactionQueued = false;
        store.unlock();
      }
    });
  }

  private void compactLocked() {
    long target = applier.appliedIndex() - retention.catchUpEntries();
    if (target - compactedIndex < retention.compactEvery()) return;
    checkpoint.run();
    storage.compact(target, members).join();
    compactedIndex = target;
    LOG.fine(() -> "compacted the WAL up to index " + target);
  }

  void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) LOG.warning("the applier did not finish within 30 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
