package io.vkv.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Logger;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * The durable Raft log. Writes are queued to one writer thread that group-commits them (one force per batch) and
 * complete their future once forced to disk; futures complete on the writer thread, so keep callbacks short or
 * use the {@code *Async} variants. The {@code *Now} variants write (and force) on the caller's thread instead,
 * in order after everything queued before them. Reads come from an in-memory index of the retained window and may run on any
 * thread while writes are in flight: a write becomes visible to them once it is durable.
 */
public final class Wal implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Wal.class.getName());
  /** How long Chronicle waits on a record header left incomplete by a crash before resetting it. */
  private static final long CHRONICLE_TIMEOUT_MS = 1_000;

  private final SingleChronicleQueue queue;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final LogIndex index; // guarded by lock; the writer changes it only after a force
  private final TailCache tail = new TailCache(); // guarded by lock; changed with index
  private final LogReader reader;
  private final WalWriter writer;
  private volatile boolean closed;

  private Wal(SingleChronicleQueue queue, CycleClock clock, LogIndex index, int lastCycle, WalConfig config) {
    this.queue = queue;
    this.index = index;
    this.reader = new LogReader(queue);
    CycleFiles files = new CycleFiles(queue, config.dir(), lastCycle, config.fsyncNanos());
    this.writer = new WalWriter(queue, files, index, config, this::publish,
        cycle -> clock.raiseFloor(cycleStart(queue, cycle + 1)));
  }

  private static long cycleStart(SingleChronicleQueue queue, int cycle) {
    return queue.epoch() + (long) cycle * queue.rollCycle().lengthInMillis();
  }

  /** Opens (creating the directory if missing) and recovers the log; see docs/wal.md for torn tails. */
  public static Wal open(WalConfig config) {
    try {
      Files.createDirectories(config.dir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create WAL directory " + config.dir(), e);
    }
    CycleClock clock = new CycleClock(config.clockMillis());
    SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(config.dir().toFile())
        .rollCycle(config.rollCycle())
        .timeProvider(clock)
        .timeoutMS(CHRONICLE_TIMEOUT_MS)
        .build();
    try {
      Recovery.Result recovered = Recovery.replay(queue);
      if (recovered.tornTail() != null) {
        LOG.warning(() -> "dropped a torn tail of " + recovered.droppedRecords() + " WAL record(s) starting with a "
            + Recovery.describe(queue, recovered.tornTail()) + " (writes that were never acknowledged)");
      }
      int lastCycle = queue.lastCycle();
      boolean hasFiles = lastCycle >= 0 && queue.firstCycle() <= lastCycle;
      if (hasFiles) startNewCycle(queue, clock, lastCycle);
      Wal wal = new Wal(queue, clock, recovered.index(), hasFiles ? lastCycle : CycleFiles.NO_CYCLE, config);
      if (hasFiles) wal.awaitOpenMarker(recovered.lastGoodQueueIndex());
      return wal;
    } catch (RuntimeException | Error e) {
      queue.close();
      throw e;
    }
  }

  /** Never append behind whatever a crash left at the end of the last file: continue in a fresh one. */
  private static void startNewCycle(SingleChronicleQueue queue, CycleClock clock, int lastCycle) {
    clock.raiseFloor(cycleStart(queue, lastCycle + 1));
    if (queue.cycle() <= lastCycle) {
      throw new IllegalStateException("could not move the WAL past cycle " + lastCycle + " (at " + queue.cycle() + ")");
    }
  }

  private void awaitOpenMarker(long lastGoodQueueIndex) {
    try {
      writer.submit(new PendingWrite.Open(lastGoodQueueIndex)).join();
    } catch (CompletionException e) {
      close();
      throw new IllegalStateException("cannot write to the WAL in " + queue.file() + ": " + e.getCause(), e.getCause());
    }
  }

  /** Appends entries; completes once they are durable. See {@link #save}. */
  public CompletableFuture<Void> append(List<WalEntry> entries) {
    return save(null, entries);
  }

  /**
   * Persists a hard state (nullable) and entries as one durable batch. The first entry's index must be in
   * {@code [firstIndex(), lastIndex() + 1]} and indexes consecutive; an index at or below {@code lastIndex()}
   * replaces the log from there. Otherwise the future fails with {@link IllegalArgumentException}.
   */
  public CompletableFuture<Void> save(HardState hardState, List<WalEntry> entries) {
    return save(hardState, entries, false);
  }

  /**
   * {@link #save}, written and forced on the calling thread: the returned future is already complete (or failed)
   * when this returns. For a caller that waits for the disk anyway and would otherwise pay two thread wake-ups.
   */
  public CompletableFuture<Void> saveNow(HardState hardState, List<WalEntry> entries) {
    return save(hardState, entries, true);
  }

  private CompletableFuture<Void> save(HardState hardState, List<WalEntry> entries, boolean now) {
    Objects.requireNonNull(entries, "entries");
    List<WalEntry> copy = List.copyOf(entries);
    for (int i = 1; i < copy.size(); i++) {
      if (copy.get(i).index() != copy.get(i - 1).index() + 1) {
        return CompletableFuture.failedFuture(new IllegalArgumentException("entry indexes must be consecutive: "
            + copy.get(i - 1).index() + " is followed by " + copy.get(i).index()));
      }
    }
    if (hardState == null && copy.isEmpty()) return CompletableFuture.completedFuture(null);
    PendingWrite.Save write = new PendingWrite.Save(hardState, copy, true);
    return now ? writer.writeNow(write) : writer.submit(write);
  }

  /**
   * Records a hard state without forcing it to disk: it completes once written, and becomes durable with the next
   * forced batch (or is lost in a crash before that). For Raft's commit index, which needs no sync: a restarted
   * member learns it again from the leader. Ordered with every other write.
   */
  public CompletableFuture<Void> saveUnsynced(HardState hardState) {
    return writer.submit(unsynced(hardState));
  }

  /** {@link #saveUnsynced}, written on the calling thread (no force, so it does not wait for the disk). */
  public CompletableFuture<Void> saveUnsyncedNow(HardState hardState) {
    return writer.writeNow(unsynced(hardState));
  }

  private static PendingWrite.Save unsynced(HardState hardState) {
    return new PendingWrite.Save(Objects.requireNonNull(hardState, "hardState"), List.of(), false);
  }

  /** Drops entries {@code >= fromIndex} durably; an index past the end changes nothing. */
  public CompletableFuture<Void> truncateSuffix(long fromIndex) {
    return writer.submit(new PendingWrite.Truncate(fromIndex));
  }

  /**
   * Drops entries {@code <= snap.index()} and records the snapshot (a snapshot past the last index empties the
   * log, as installing a leader's snapshot does). Cycle files holding only dropped entries are deleted.
   */
  public CompletableFuture<Void> compact(SnapshotMeta snap) {
    return writer.submit(new PendingWrite.Compact(Objects.requireNonNull(snap, "snap")));
  }

  public long firstIndex() {
    return read(LogIndex::firstIndex);
  }

  public long lastIndex() {
    return read(LogIndex::lastIndex);
  }

  /** The term of an entry, or of the snapshot's last entry; IllegalArgumentException outside that range. */
  public long term(long raftIndex) {
    return read(i -> i.term(raftIndex));
  }

  /** Entries {@code [lo, hiExclusive)} up to {@code maxBytes} of data, but at least one if {@code lo < hi}. */
  public List<WalEntry> entries(long lo, long hiExclusive, long maxBytes) {
    return read(i -> {
      if (lo < i.firstIndex() || hiExclusive > i.lastIndex() + 1 || lo > hiExclusive) {
        throw new IllegalArgumentException("entries [" + lo + ", " + hiExclusive + ") are outside the log ["
            + i.firstIndex() + ", " + (i.lastIndex() + 1) + ")");
      }
      if (lo == hiExclusive) return List.of();
      List<WalEntry> cached = tail.read(lo, hiExclusive, maxBytes);
      return cached != null ? cached : reader.read(i, lo, hiExclusive, maxBytes);
    });
  }

  public HardState hardState() {
    return read(LogIndex::hardState);
  }

  public SnapshotMeta snapshot() {
    return read(LogIndex::snapshot);
  }

  private <T> T read(java.util.function.Function<LogIndex, T> query) {
    lock.readLock().lock();
    try {
      if (closed) throw new IllegalStateException("the WAL is closed");
      return query.apply(index);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Called by the writer after a force: makes the batch visible to readers. */
  private long publish(List<PendingWrite> durable) {
    lock.writeLock().lock();
    try {
      for (PendingWrite w : durable) apply(w);
      return index.lastIndex() >= index.firstIndex() ? index.queueIndex(index.firstIndex()) : -1;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void apply(PendingWrite w) {
    if (w instanceof PendingWrite.Save s) {
      List<WalEntry> entries = s.entries();
      for (int k = 0; k < entries.size(); k++) {
        index.append(entries.get(k).index(), entries.get(k).term(), s.queueIndexes()[k]);
        tail.append(entries.get(k));
      }
      if (s.hardState() != null) index.hardState(s.hardState());
    } else if (w instanceof PendingWrite.Truncate t) {
      index.truncateFrom(t.fromIndex());
      tail.truncateFrom(t.fromIndex());
    } else if (w instanceof PendingWrite.Compact c) {
      index.compact(c.snapshot());
      tail.compactTo(c.snapshot().index());
    }
  }

  /** Writes and forces everything queued so far (none is left hanging), then releases the queue. Idempotent. */
  @Override
  public void close() {
    if (closed) return;
    writer.close();
    lock.writeLock().lock();
    try {
      if (closed) return;
      closed = true;
      reader.close();
      queue.close();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
