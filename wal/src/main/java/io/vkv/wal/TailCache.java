package io.vkv.wal;

import java.util.ArrayList;
import java.util.List;

/**
 * The newest durable entries, kept in memory so that the Raft loop reads what it just wrote (entries to apply, to
 * send to a follower) without going back to the queue: in a put-heavy profile those reads were a few percent of a
 * member's CPU, all on the Raft loop. A ring of the last {@link #CAPACITY} consecutive entries, bounded also in
 * bytes; older entries are read from the queue as before. Not thread-safe: {@link Wal} guards it with the same lock
 * as its {@link LogIndex}, and changes it at the same points (publish, truncate, compact), so the two always agree.
 */
final class TailCache {
  static final int CAPACITY = 4096;
  /** Data bytes kept at most; an entry larger than this alone is not kept. */
  static final long MAX_BYTES = 8L << 20;

  private final WalEntry[] ring = new WalEntry[CAPACITY];
  private long first = 1; // Raft index of the oldest entry kept
  private int size;
  private long bytes;

  private WalEntry at(long raftIndex) {
    return ring[(int) (raftIndex % CAPACITY)];
  }

  private long last() {
    return first + size - 1;
  }

  /** Adds a durable entry; an index inside the kept range first drops the suffix from there, a gap clears it. */
  void append(WalEntry entry) {
    long index = entry.index();
    if (size > 0 && index <= last() && index >= first) truncateFrom(index);
    if (size > 0 && index != last() + 1) clear();
    if (size == 0) first = index;
    ring[(int) (index % CAPACITY)] = entry;
    size++;
    bytes += entry.data().length;
    while (size > CAPACITY - 1 || (bytes > MAX_BYTES && size > 0)) dropOldest();
  }

  private void dropOldest() {
    bytes -= at(first).data().length;
    ring[(int) (first % CAPACITY)] = null;
    first++;
    size--;
  }

  /** Drops entries {@code >= fromIndex}. */
  void truncateFrom(long fromIndex) {
    while (size > 0 && last() >= fromIndex) {
      long last = last();
      bytes -= at(last).data().length;
      ring[(int) (last % CAPACITY)] = null;
      size--;
    }
  }

  /** Drops entries {@code <= index}. */
  void compactTo(long index) {
    while (size > 0 && first <= index) dropOldest();
    if (size == 0) first = index + 1;
  }

  void clear() {
    while (size > 0) dropOldest();
  }

  /**
   * Entries {@code [lo, hi)} as {@link LogReader#read} gives them (stopping before the data would exceed
   * {@code maxBytes}, but at least one), or null when they are not all kept here.
   */
  List<WalEntry> read(long lo, long hi, long maxBytes) {
    if (size == 0 || lo < first || hi - 1 > last() || lo >= hi) return null;
    List<WalEntry> result = new ArrayList<>((int) Math.min(hi - lo, 256));
    long total = 0;
    for (long i = lo; i < hi; i++) {
      WalEntry entry = at(i);
      total += entry.data().length;
      if (!result.isEmpty() && total > maxBytes) break;
      result.add(entry);
    }
    return result;
  }
}
