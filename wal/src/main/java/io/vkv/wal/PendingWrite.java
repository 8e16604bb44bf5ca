package io.vkv.wal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A write waiting for the writer thread; {@code done} completes once it is durable (or failed). */
sealed interface PendingWrite {
  CompletableFuture<Void> done();

  /**
   * Raft's Ready: an optional hard state and entries, one durable batch. The writer fills {@code queueIndexes}.
   * Without {@code sync} (a hard state alone) it is done once written, and durable with the next forced batch.
   */
  record Save(HardState hardState, List<WalEntry> entries, boolean sync, long[] queueIndexes,
              CompletableFuture<Void> done) implements PendingWrite {
    Save(HardState hardState, List<WalEntry> entries, boolean sync) {
      this(hardState, entries, sync, new long[entries.size()], new CompletableFuture<>());
    }
  }

  record Truncate(long fromIndex, CompletableFuture<Void> done) implements PendingWrite {
    Truncate(long fromIndex) {
      this(fromIndex, new CompletableFuture<>());
    }
  }

  /** Writes the snapshot and the current hard state, then deletes cycle files holding only dropped entries. */
  record Compact(SnapshotMeta snapshot, CompletableFuture<Void> done) implements PendingWrite {
    Compact(SnapshotMeta snapshot) {
      this(snapshot, new CompletableFuture<>());
    }
  }

  /** The marker written first after an open; see {@link WalRecord.Open}. */
  record Open(long lastGoodQueueIndex, CompletableFuture<Void> done) implements PendingWrite {
    Open(long lastGoodQueueIndex) {
      this(lastGoodQueueIndex, new CompletableFuture<>());
    }
  }
}
