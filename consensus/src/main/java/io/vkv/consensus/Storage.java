package io.vkv.consensus;

import java.util.List;

/**
 * The durable log as the core reads it. Read-only: the application writes (persisting each
 * {@link Ready}) and compacts. The retained window is {@code [firstIndex, lastIndex]}; index
 * {@code firstIndex-1} is the last index covered by the snapshot, whose term stays known.
 */
public interface Storage {

  /** Persisted hard state and the membership as of the application's applied index. */
  InitialState initialState();

  /** Index of the first retained entry (snapshot index + 1). */
  long firstIndex();

  /** Index of the last persisted entry (the snapshot index when the log is empty). */
  long lastIndex();

  /**
   * Term of entry {@code index}, for {@code firstIndex-1 <= index <= lastIndex}.
   *
   * @throws CompactedException if {@code index < firstIndex-1}
   */
  long term(long index);

  /**
   * Entries {@code [lo, hiExclusive)}, stopping before {@code maxBytes} is exceeded but always
   * returning at least one entry when {@code lo < hiExclusive}.
   *
   * @throws CompactedException if {@code lo < firstIndex}
   */
  List<Entry> entries(long lo, long hiExclusive, long maxBytes);

  /** The most recent snapshot (index 0 when there is none). */
  SnapshotMeta snapshot();

  /** What a restarting node reads first. */
  record InitialState(HardState hardState, ConfState confState) {}

  /** The requested index was discarded by log compaction. */
  final class CompactedException extends RuntimeException {
    public CompactedException(long index) {
      super("index " + index + " is compacted", null, false, false);
    }
  }
}
