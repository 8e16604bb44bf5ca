package io.vkv.consensus;

import java.util.ArrayList;
import java.util.List;

/**
 * In-memory {@link Storage} with the write side the application uses: tests and simulations
 * treat its contents as "durable".
 */
public final class MemoryStorage implements Storage {
  private HardState hardState = HardState.EMPTY;
  private ConfState confState = ConfState.EMPTY;
  /** Latest snapshot; invariant: snapshot.index <= lastIndex (0 when there is none). */
  private SnapshotMeta snapshot = new SnapshotMeta(0, 0, List.of(), List.of(), Bytes.EMPTY);
  /** Index and term of the dummy position just before {@link #log}: firstIndex = offset + 1. */
  private long offset;
  private long offsetTerm;
  /** Entries offset+1 .. lastIndex, contiguous. */
  private final ArrayList<Entry> log = new ArrayList<>();

  /** A new cluster member's storage: a bootstrap snapshot at index 1/term 1 holding membership. */
  public static MemoryStorage bootstrap(ConfState cs) {
    MemoryStorage s = new MemoryStorage();
    s.applySnapshot(SnapshotMeta.of(1, 1, cs, Bytes.EMPTY));
    s.setHardState(new HardState(1, 0, 1));
    return s;
  }

  /** A deep-enough copy (entries are immutable) to model what survives a crash. */
  public MemoryStorage copy() {
    MemoryStorage s = new MemoryStorage();
    s.hardState = hardState;
    s.confState = confState;
    s.snapshot = snapshot;
    s.offset = offset;
    s.offsetTerm = offsetTerm;
    s.log.addAll(log);
    return s;
  }

  @Override
  public InitialState initialState() {
    return new InitialState(hardState, confState);
  }

  public void setHardState(HardState hs) {
    hardState = hs;
  }

  public HardState hardState() {
    return hardState;
  }

  /** Records the membership the application has applied (persisted with its applied index). */
  public void setConfState(ConfState cs) {
    confState = cs;
  }

  @Override
  public long firstIndex() {
    return offset + 1;
  }

  @Override
  public long lastIndex() {
    return offset + log.size();
  }

  @Override
  public long term(long index) {
    if (index < offset) {
      throw new CompactedException(index);
    }
    if (index == offset) {
      return offsetTerm;
    }
    if (index > lastIndex()) {
      throw new IllegalArgumentException("index " + index + " > last " + lastIndex());
    }
    return log.get((int) (index - offset - 1)).term();
  }

  @Override
  public List<Entry> entries(long lo, long hiExclusive, long maxBytes) {
    if (lo < firstIndex()) {
      throw new CompactedException(lo);
    }
    if (hiExclusive > lastIndex() + 1) {
      throw new IllegalArgumentException("hi " + hiExclusive + " > last+1 " + (lastIndex() + 1));
    }
    List<Entry> out = new ArrayList<>();
    long size = 0;
    for (long i = lo; i < hiExclusive; i++) {
      Entry e = log.get((int) (i - firstIndex()));
      size += e.size();
      if (!out.isEmpty() && size > maxBytes) {
        break;
      }
      out.add(e);
    }
    return out;
  }

  @Override
  public SnapshotMeta snapshot() {
    return snapshot;
  }

  /** Appends entries, first discarding any existing entries at or after the first new index. */
  public void append(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    long first = entries.get(0).index();
    if (first > lastIndex() + 1) {
      throw new IllegalArgumentException("gap: appending " + first + " after " + lastIndex());
    }
    if (first <= offset) {
      // Entries already compacted away are dropped.
      int skip = (int) (offset + 1 - first);
      if (skip >= entries.size()) {
        return;
      }
      entries = entries.subList(skip, entries.size());
      first = entries.get(0).index();
    }
    truncateFrom(first);
    log.addAll(entries);
  }

  /** Discards entries at index >= {@code from}. */
  public void truncateFrom(long from) {
    int keep = (int) Math.max(0, from - firstIndex());
    while (log.size() > keep) {
      log.remove(log.size() - 1);
    }
  }

  /**
   * Records a snapshot of the application's state at {@code index}, which the application must
   * have applied; entries are kept until {@link #compact}.
   */
  public SnapshotMeta createSnapshot(long index, ConfState cs, byte[] data) {
    if (index <= snapshot.index()) {
      return snapshot;
    }
    snapshot = SnapshotMeta.of(index, term(index), cs, data);
    return snapshot;
  }

  /** Discards entries up to and including {@code index}, which must be covered by the snapshot. */
  public void compact(long index) {
    if (index > snapshot.index()) {
      throw new IllegalArgumentException("compact " + index + " beyond snapshot " + snapshot.index());
    }
    if (index <= offset) {
      return;
    }
    long t = term(index);
    log.subList(0, (int) (index - offset)).clear();
    offset = index;
    offsetTerm = t;
  }

  /** Replaces the whole log with a snapshot received from the leader. */
  public void applySnapshot(SnapshotMeta snap) {
    if (snap.index() <= snapshot.index()) {
      return;
    }
    snapshot = snap;
    offset = snap.index();
    offsetTerm = snap.term();
    confState = snap.confState();
    log.clear();
  }
}
