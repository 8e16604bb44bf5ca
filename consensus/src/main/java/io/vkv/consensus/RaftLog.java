package io.vkv.consensus;

import java.util.ArrayList;
import java.util.List;

/**
 * The log as the core sees it: durable {@link Storage} followed by {@link Unstable} entries.
 * Invariants: {@code applied <= committed <= lastIndex()}; {@code firstIndex()-1 <= applied}
 * once any pending snapshot is installed.
 */
final class RaftLog {
  final Storage storage;
  final Unstable unstable;
  /** Highest index known committed by a quorum. */
  long committed;
  /** Highest index the application has applied (reported via advance). */
  long applied;

  RaftLog(Storage storage, long applied) {
    this.storage = storage;
    this.unstable = new Unstable(storage.lastIndex() + 1);
    long first = storage.firstIndex();
    this.committed = Math.max(storage.initialState().hardState().commit(), first - 1);
    this.applied = Math.max(applied, first - 1);
    if (this.applied > committed) {
      throw new IllegalStateException("applied " + applied + " > committed " + committed);
    }
  }

  long firstIndex() {
    return unstable.snapshot != null ? unstable.snapshot.index() + 1 : storage.firstIndex();
  }

  long lastIndex() {
    long l = unstable.maybeLastIndex();
    return l >= 0 ? l : storage.lastIndex();
  }

  /** Last index durable on this node: everything below the unstable part. */
  long durableIndex() {
    // A pending snapshot replaces the log: nothing of the new log is durable yet.
    return unstable.snapshot != null ? 0 : unstable.offset - 1;
  }

  long lastTerm() {
    return termOrZero(lastIndex());
  }

  /**
   * Term of entry {@code i}; 0 if {@code i} is beyond the last index.
   *
   * @throws Storage.CompactedException if {@code i < firstIndex()-1}
   */
  long term(long i) {
    long t = unstable.maybeTerm(i);
    if (t >= 0) {
      return t;
    }
    if (i > lastIndex()) {
      return 0;
    }
    if (unstable.snapshot != null || i < storage.firstIndex() - 1) {
      throw new Storage.CompactedException(i);
    }
    return storage.term(i);
  }

  long termOrZero(long i) {
    try {
      return term(i);
    } catch (Storage.CompactedException e) {
      return 0;
    }
  }

  boolean matchTerm(long i, long t) {
    try {
      return term(i) == t;
    } catch (Storage.CompactedException e) {
      return false;
    }
  }

  /** Raft §5.4.1: is (lastTerm, lastIndex) of a candidate at least as up to date as ours? */
  boolean isUpToDate(long lastIdx, long lastTrm) {
    long myTerm = lastTerm();
    return lastTrm > myTerm || (lastTrm == myTerm && lastIdx >= lastIndex());
  }

  /**
   * Appends leader entries following (prevIndex, prevTerm) if that matches our log; returns the
   * last new index, or -1 on mismatch. Never truncates committed entries.
   */
  long maybeAppend(long prevIndex, long prevTerm, long leaderCommit, List<Entry> ents) {
    if (!matchTerm(prevIndex, prevTerm)) {
      return -1;
    }
    long lastNew = prevIndex + ents.size();
    long ci = findConflict(ents);
    if (ci != 0) {
      if (ci <= committed) {
        throw new IllegalStateException("conflict at " + ci + " <= committed " + committed);
      }
      append(ents.subList((int) (ci - prevIndex - 1), ents.size()));
    }
    commitTo(Math.min(leaderCommit, lastNew));
    return lastNew;
  }

  /** First index whose term differs from ours (or that we lack); 0 if all match. */
  private long findConflict(List<Entry> ents) {
    for (Entry e : ents) {
      if (!matchTerm(e.index(), e.term())) {
        return e.index();
      }
    }
    return 0;
  }

  /**
   * The largest index {@code <= index} whose term is {@code <= term} (or the compaction point):
   * no entry above it can match a log whose entry at {@code index} has {@code term}.
   */
  long findConflictByTerm(long index, long term) {
    for (long i = index; ; i--) {
      long t;
      try {
        t = term(i);
      } catch (Storage.CompactedException e) {
        return i;
      }
      if (t <= term) {
        return i;
      }
    }
  }

  long append(List<Entry> ents) {
    if (ents.isEmpty()) {
      return lastIndex();
    }
    if (ents.get(0).index() - 1 < committed) {
      throw new IllegalStateException("append at " + ents.get(0).index() + " below commit " + committed);
    }
    unstable.truncateAndAppend(ents);
    return lastIndex();
  }

  void commitTo(long c) {
    if (c > committed) {
      if (c > lastIndex()) {
        throw new IllegalStateException("commit " + c + " beyond last index " + lastIndex());
      }
      committed = c;
    }
  }

  void appliedTo(long a) {
    if (a > committed || a < applied) {
      throw new IllegalStateException("applied " + a + " outside [" + applied + ", " + committed + "]");
    }
    applied = a;
  }

  /** Entries [lo, lastIndex] limited to maxBytes (at least one). */
  List<Entry> entries(long lo, long maxBytes) {
    if (lo > lastIndex()) {
      return List.of();
    }
    return slice(lo, lastIndex() + 1, maxBytes);
  }

  /** Entries [lo, hi) limited to maxBytes (at least one). */
  List<Entry> slice(long lo, long hi, long maxBytes) {
    if (lo < firstIndex()) {
      throw new Storage.CompactedException(lo);
    }
    List<Entry> out = new ArrayList<>();
    if (lo < unstable.offset) {
      out.addAll(storage.entries(lo, Math.min(hi, unstable.offset), maxBytes));
      if (out.size() < Math.min(hi, unstable.offset) - lo) {
        return out; // hit the byte limit inside storage
      }
    }
    long size = 0;
    for (Entry e : out) {
      size += e.size();
    }
    if (hi > unstable.offset) {
      for (Entry e : unstable.slice(Math.max(lo, unstable.offset), hi)) {
        size += e.size();
        if (!out.isEmpty() && size > maxBytes) {
          break;
        }
        out.add(e);
      }
    }
    return out;
  }

  boolean hasPendingSnapshot() {
    return unstable.snapshot != null;
  }

  /** The snapshot to send a lagging follower: a pending one, else storage's. */
  SnapshotMeta snapshot() {
    return unstable.snapshot != null ? unstable.snapshot : storage.snapshot();
  }

  /** Committed entries the application has not applied yet (none while a snapshot is pending). */
  List<Entry> nextCommittedEntries(long maxBytes) {
    if (hasPendingSnapshot() || committed <= applied) {
      return List.of();
    }
    return slice(applied + 1, committed + 1, maxBytes);
  }

  boolean hasNextCommittedEntries() {
    return !hasPendingSnapshot() && committed > applied;
  }

  /** A committed, unapplied conf change may remove this node: it must not campaign yet. */
  boolean hasUnappliedConfChange() {
    if (hasPendingSnapshot() || committed <= applied) {
      return false;
    }
    for (Entry e : slice(applied + 1, committed + 1, Long.MAX_VALUE)) {
      if (e.type() == Entry.Type.CONF_CHANGE) {
        return true;
      }
    }
    return false;
  }

  /** Installs a leader's snapshot, discarding the whole log. */
  void restore(SnapshotMeta s) {
    committed = s.index();
    unstable.restore(s);
  }

  @Override
  public String toString() {
    return "committed=" + committed + " applied=" + applied + " unstable.offset=" + unstable.offset
        + " last=" + lastIndex();
  }
}
