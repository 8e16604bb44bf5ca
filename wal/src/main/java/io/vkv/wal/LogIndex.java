package io.vkv.wal;

import java.util.Arrays;

/**
 * In-memory map of the retained log window: Raft index → (term, Chronicle queue index), plus the snapshot the
 * window starts after and the latest hard state. Invariant once anchored: {@code first == snapshot.index + 1},
 * entries {@code [first, last]} are consecutive. Not thread-safe: {@link Wal} guards it with a read-write lock.
 *
 * <p>During replay the files before the oldest retained one may have been deleted by compaction, so the window is
 * "unanchored" until a snapshot record is seen: the first entry replayed sets where it starts.
 */
final class LogIndex {
  private SnapshotMeta snapshot = SnapshotMeta.NONE;
  private HardState hardState = HardState.EMPTY;
  private boolean anchored;
  private long first = 1;
  private int size;
  private long[] terms = new long[1024];
  private long[] queueIndexes = new long[1024];

  /** An index for a new, empty log. */
  static LogIndex empty() {
    LogIndex index = new LogIndex();
    index.anchored = true;
    return index;
  }

  /** An index to be rebuilt by replay; call {@link #finishReplay()} at the end. */
  static LogIndex forReplay() {
    return new LogIndex();
  }

  long firstIndex() {
    return first;
  }

  long lastIndex() {
    return first + size - 1;
  }

  SnapshotMeta snapshot() {
    return snapshot;
  }

  HardState hardState() {
    return hardState;
  }

  void hardState(HardState hs) {
    hardState = hs;
  }

  long term(long index) {
    if (index == snapshot.index()) return snapshot.term();
    if (index < first || index > lastIndex()) {
      throw new IllegalArgumentException("index " + index + " is outside the log [" + snapshot.index() + ", "
          + lastIndex() + "] (snapshot index " + snapshot.index() + ", last index " + lastIndex() + ")");
    }
    return terms[(int) (index - first)];
  }

  long queueIndex(long index) {
    if (index < first || index > lastIndex()) {
      throw new IllegalArgumentException("index " + index + " is outside the retained entries [" + first + ", " + lastIndex() + "]");
    }
    return queueIndexes[(int) (index - first)];
  }

  /** Adds an entry; an index inside the window first drops the suffix from there (a follower overwriting). */
  void append(long index, long term, long queueIndex) {
    if (!anchored && (size == 0 || index < first)) {
      first = index;
      size = 0;
    }
    if (index < first || index > lastIndex() + 1) {
      throw new IllegalStateException("entry " + index + " does not continue the log [" + first + ", " + lastIndex() + "]");
    }
    size = (int) (index - first);
    if (size == terms.length) {
      terms = Arrays.copyOf(terms, size * 2);
      queueIndexes = Arrays.copyOf(queueIndexes, size * 2);
    }
    terms[size] = term;
    queueIndexes[size] = queueIndex;
    size++;
  }

  /** Drops entries {@code >= fromIndex}; an index past the end changes nothing. */
  void truncateFrom(long fromIndex) {
    if (fromIndex > lastIndex()) return;
    if (fromIndex < first) {
      if (anchored) throw new IllegalStateException("cannot truncate from " + fromIndex + " below the first index " + first);
      first = fromIndex;
    }
    size = (int) (fromIndex - first);
  }

  /** Drops entries {@code <= snap.index}; a snapshot past the end empties the window and restarts it after. */
  void compact(SnapshotMeta snap) {
    long keepFrom = snap.index() + 1;
    if (keepFrom > lastIndex() || (size == 0 && !anchored)) {
      size = 0;
    } else if (keepFrom >= first) {
      int drop = (int) (keepFrom - first);
      System.arraycopy(terms, drop, terms, 0, size - drop);
      System.arraycopy(queueIndexes, drop, queueIndexes, 0, size - drop);
      size -= drop;
    } else if (!anchored) {
      throw new IllegalStateException("snapshot at " + snap.index() + " but the retained entries start at " + first
          + ": entries in between are missing");
    } else {
      throw new IllegalStateException("snapshot at " + snap.index() + " is older than the current one at " + snapshot.index());
    }
    first = keepFrom;
    snapshot = snap;
    anchored = true;
  }

  /** Ends replay: a log that never saw a snapshot must start at index 1. */
  void finishReplay() {
    if (anchored) return;
    if (size > 0 && first != 1) {
      throw new IllegalStateException("the oldest retained entry is " + first
          + " but no snapshot record says the entries before it were compacted");
    }
    if (size == 0) first = 1;
    anchored = true;
  }
}
