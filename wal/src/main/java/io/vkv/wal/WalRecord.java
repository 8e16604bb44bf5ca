package io.vkv.wal;

/** What one queue excerpt holds once decoded. Replay folds these, in queue order, into a {@link LogIndex}. */
sealed interface WalRecord {
  /** A log entry; an index at or below the current last index discards the old suffix from there. */
  record Entry(WalEntry entry) implements WalRecord { }

  /** The hard state as of this point; the last one wins. */
  record State(HardState hardState) implements WalRecord { }

  /** Entries at or above {@code fromIndex} are gone. */
  record Truncate(long fromIndex) implements WalRecord { }

  /** The log was compacted up to the snapshot's index. */
  record Snapshot(SnapshotMeta snapshot) implements WalRecord { }

  /**
   * Written first after every open, in a fresh cycle file. Damaged records between the excerpt at
   * {@code lastGoodQueueIndex} and this marker are a torn tail that an earlier recovery already dropped.
   * {@code -1} when the previous replay found no valid record.
   */
  record Open(long lastGoodQueueIndex) implements WalRecord { }
}
