package io.vkv.consensus;

import java.util.ArrayList;
import java.util.List;

/**
 * Entries (and possibly a snapshot) that the core has accepted but the application has not yet
 * reported durable. Invariant: entries are contiguous from {@code offset}; if a snapshot is
 * present, {@code offset == snapshot.index + 1}.
 */
final class Unstable {
  SnapshotMeta snapshot;
  final ArrayList<Entry> entries = new ArrayList<>();
  /** Index of entries.get(0); everything below is in storage (or the pending snapshot). */
  long offset;

  Unstable(long offset) {
    this.offset = offset;
  }

  /** Last index held here, or -1 if there is none. */
  long maybeLastIndex() {
    if (!entries.isEmpty()) {
      return offset + entries.size() - 1;
    }
    return snapshot != null ? snapshot.index() : -1;
  }

  /** Term at {@code i} if held here, else -1. */
  long maybeTerm(long i) {
    if (i < offset) {
      return snapshot != null && snapshot.index() == i ? snapshot.term() : -1;
    }
    long last = maybeLastIndex();
    if (last < 0 || i > last) {
      return -1;
    }
    return entries.get((int) (i - offset)).term();
  }

  /** Entries up to (i, t) are durable; ignored if the log changed underneath since. */
  void stableTo(long i, long t) {
    if (i < offset || maybeTerm(i) != t) {
      return;
    }
    entries.subList(0, (int) (i + 1 - offset)).clear();
    offset = i + 1;
  }

  void stableSnapTo(long i) {
    if (snapshot != null && snapshot.index() == i) {
      snapshot = null;
    }
  }

  void restore(SnapshotMeta s) {
    offset = s.index() + 1;
    entries.clear();
    snapshot = s;
  }

  /** Appends, replacing any held entries at or after the first new index. */
  void truncateAndAppend(List<Entry> ents) {
    long after = ents.get(0).index();
    if (after == offset + entries.size()) {
      entries.addAll(ents);
    } else if (after <= offset) {
      // Replaces everything held here and shadows the storage suffix from 'after'.
      offset = after;
      entries.clear();
      entries.addAll(ents);
    } else {
      entries.subList((int) (after - offset), entries.size()).clear();
      entries.addAll(ents);
    }
  }

  List<Entry> slice(long lo, long hi) {
    return new ArrayList<>(entries.subList((int) (lo - offset), (int) (hi - offset)));
  }
}
