package io.vkv.wal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Group commit: takes everything queued, writes it, forces the touched files once, publishes the batch to readers,
 * then completes the futures. Writes queued while a force is in flight form the next batch, so batches grow with
 * the load and callers of {@link #submit} never block. Batches are written by the writer thread, or by a caller of
 * {@link #writeNow} on its own thread (the Raft loop, which would otherwise pay two thread wake-ups per Ready): one
 * batch at a time under {@link #writing}, each draining the queue in order, so the log's order is the order in
 * which writes were queued.
 *
 * <p>Validation against the log happens here, in queue order, on the writer's own view of the log (which runs
 * ahead of what readers see by the unforced batch). After a write or force fails the writer is broken: every later
 * write fails, since what reached the disk is unknown (fail-stop, as etcd does).
 */
final class WalWriter implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(WalWriter.class.getName());

  /** Applies a forced batch to the readers' view; returns the queue index of the oldest retained entry, or -1. */
  interface Publisher {
    long publish(List<PendingWrite> durable);
  }

  /**
   * Bytes of records after which the next write starts a new cycle file. An fdatasync of a file gets slower the
   * more has been written to it through a shared mapping (on the benchmark VM: 0.16 ms after 16 MiB, 0.74 ms after
   * 32 MiB, 1.07 ms after 140 MiB; benchmarks' MmapFsyncProbe), and Chronicle writes through one.
   */
  static final long ROLL_BYTES = 16L << 20;

  private final SingleChronicleQueue queue;
  private final CycleFiles files;
  private final Publisher publisher;
  /** Makes the next write start the cycle after the given one. */
  private final IntConsumer rollAfter;
  private final int maxQueued;
  private final int maxBatch;
  private final ConcurrentLinkedQueue<PendingWrite> intake = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Object submitLock = new Object();
  /** Held while a batch is drained, written and forced, by whichever thread writes it. */
  private final ReentrantLock writing = new ReentrantLock();
  private final RecordCodec codec = new RecordCodec();
  private final ExcerptAppender appender;
  private final Thread thread;
  private volatile boolean closed; // set under submitLock
  /** Set while the writer thread is about to park: a submit must unpark it. */
  private volatile boolean parked;
  /** The writer thread wrote its last batch and released the files (guarded by writing). */
  private boolean finished;
  /** Whether unsynced hard states were written since the last force (guarded by writing). */
  private boolean unforced;
  private volatile Throwable broken;

  // the writer's view of the log, including the batch not yet forced (guarded by writing)
  private long first;
  private long last;
  private long snapshotIndex;
  private HardState hardState;
  /** The cycle being written and the record bytes written to it (guarded by writing). */
  private int cycle = -1;
  private long cycleBytes;

  WalWriter(SingleChronicleQueue queue, CycleFiles files, LogIndex recovered, WalConfig config, Publisher publisher,
            IntConsumer rollAfter) {
    this.queue = queue;
    this.files = files;
    this.publisher = publisher;
    this.rollAfter = rollAfter;
    this.maxQueued = config.maxQueuedWrites();
    this.maxBatch = config.maxBatchWrites();
    this.first = recovered.firstIndex();
    this.last = recovered.lastIndex();
    this.snapshotIndex = recovered.snapshot().index();
    this.hardState = recovered.hardState();
    this.appender = queue.createAppender();
    // used by more than one thread, never at once: every use is under the writing lock
    this.appender.singleThreadedCheckDisabled(true);
    this.thread = new Thread(this::run, "vkv-wal-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  CompletableFuture<Void> submit(PendingWrite write) {
    synchronized (submitLock) {
      if (closed) return CompletableFuture.failedFuture(new IllegalStateException("the WAL is closed"));
      if (queued.incrementAndGet() > maxQueued) {
        queued.decrementAndGet();
        return CompletableFuture.failedFuture(new RejectedExecutionException(
            "the WAL is busy: " + maxQueued + " writes are already waiting for the disk"));
      }
      intake.add(write);
    }
    if (parked) LockSupport.unpark(thread);
    return write.done();
  }

  /**
   * Writes {@code write} on the calling thread, after everything queued before it, forcing it to disk if it must
   * be synced; returns its future, already completed (or failed). Blocks for the force.
   */
  CompletableFuture<Void> writeNow(PendingWrite write) {
    writing.lock();
    try {
      if (closed || finished) return CompletableFuture.failedFuture(new IllegalStateException("the WAL is closed"));
      List<PendingWrite> batch = new ArrayList<>();
      drain(batch, Integer.MAX_VALUE);
      batch.add(write);
      writeBatch(batch, false);
    } finally {
      writing.unlock();
    }
    return write.done();
  }

  private void run() {
    List<PendingWrite> batch = new ArrayList<>();
    try {
      while (true) {
        awaitWork();
        writing.lock();
        try {
          drain(batch, maxBatch);
          boolean last = closed && intake.isEmpty(); // nothing can be queued after closed
          writeBatch(batch, last);
          batch.clear();
          if (last) {
            finished = true;
            return;
          }
        } finally {
          writing.unlock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "the WAL writer stopped", e);
      broken = e;
    } finally {
      IllegalStateException stopped = new IllegalStateException("the WAL writer stopped", broken);
      batch.forEach(w -> w.done().completeExceptionally(stopped));
      writing.lock();
      try {
        finished = true;
        failQueued(stopped);
        appender.close();
        files.close();
      } finally {
        writing.unlock();
      }
    }
  }

  /** Parks until something is queued or the writer is closed. */
  private void awaitWork() throws InterruptedException {
    while (intake.isEmpty() && !closed) {
      parked = true;
      if (intake.isEmpty() && !closed) LockSupport.park(this); // a submit after the check unparks
      parked = false;
      if (Thread.interrupted()) throw new InterruptedException();
    }
  }

  private void drain(List<PendingWrite> batch, int max) {
    for (PendingWrite w; batch.size() < max && (w = intake.poll()) != null; ) {
      queued.decrementAndGet();
      batch.add(w);
    }
  }

  /** Writes a batch under the writing lock; {@code closing}: the last one, so an unsynced hard state is forced. */
  private void writeBatch(List<PendingWrite> batch, boolean closing) {
    List<PendingWrite> written = new ArrayList<>(batch.size());
    boolean compacted = false;
    boolean sync = false;
    for (PendingWrite w : batch) {
      if (broken != null) {
        w.done().completeExceptionally(new IllegalStateException("the WAL failed earlier: " + broken, broken));
      } else {
        try {
          write(w);
          written.add(w);
          compacted |= w instanceof PendingWrite.Compact;
          sync |= !(w instanceof PendingWrite.Save s) || s.sync();
        } catch (IllegalArgumentException e) {
          w.done().completeExceptionally(e); // rejected before anything was written
        } catch (RuntimeException e) {
          fail(written, e);
          written.clear();
          w.done().completeExceptionally(e);
        }
      }
    }
    boolean force = sync || (closing && unforced);
    if (written.isEmpty() && !force) return;
    try {
      // a batch of unsynced hard states alone waits for the next forced batch, or for the close
      if (force) files.force();
      unforced = !force;
    } catch (Exception e) {
      fail(written, e);
      return;
    }
    long oldestNeeded = publisher.publish(written);
    if (compacted) deleteCompactedFiles(oldestNeeded);
    for (PendingWrite w : written) w.done().complete(null);
    if (cycleBytes >= ROLL_BYTES) rollAfter.accept(cycle); // the next write rolls (and resets the count)
  }

  private void fail(List<PendingWrite> writes, Throwable cause) {
    broken = cause;
    LOG.log(Level.SEVERE, "WAL write failed; refusing further writes", cause);
    for (PendingWrite w : writes) w.done().completeExceptionally(cause);
  }

  private void write(PendingWrite w) {
    if (w instanceof PendingWrite.Save s) {
      writeSave(s);
    } else if (w instanceof PendingWrite.Truncate t) {
      if (t.fromIndex() < first) {
        throw new IllegalArgumentException("cannot truncate from index " + t.fromIndex()
            + ": the log starts at " + first + " (entries up to " + snapshotIndex + " are compacted)");
      }
      if (t.fromIndex() <= last) {
        append(codec.truncate(t.fromIndex()));
        last = t.fromIndex() - 1;
      }
    } else if (w instanceof PendingWrite.Compact c) {
      SnapshotMeta snap = c.snapshot();
      if (snap.index() < snapshotIndex) {
        throw new IllegalArgumentException("snapshot at index " + snap.index()
            + " is older than the current snapshot at " + snapshotIndex);
      }
      append(codec.snapshot(snap));
      append(codec.hardState(hardState)); // older hard state records may sit in files about to go
      snapshotIndex = snap.index();
      first = snap.index() + 1;
      last = Math.max(last, snap.index());
    } else if (w instanceof PendingWrite.Open o) {
      append(codec.open(o.lastGoodQueueIndex()));
    }
  }

  private void writeSave(PendingWrite.Save s) {
    List<WalEntry> entries = s.entries();
    if (!entries.isEmpty()) {
      long start = entries.get(0).index();
      if (start < first || start > last + 1) {
        throw new IllegalArgumentException("cannot append at index " + start + ": the next index must be in ["
            + first + ", " + (last + 1) + "] (first index " + first + ", last index " + last + ")");
      }
    }
    for (int i = 0; i < entries.size(); i++) {
      s.queueIndexes()[i] = append(codec.entry(entries.get(i)));
    }
    if (!entries.isEmpty()) last = entries.get(entries.size() - 1).index();
    if (s.hardState() != null) {
      append(codec.hardState(s.hardState()));
      hardState = s.hardState();
    }
  }

  private long append(ByteBuffer record) {
    try (DocumentContext dc = appender.writingDocument()) {
      dc.wire().bytes().write(record.array(), 0, record.limit());
    }
    int written = appender.cycle();
    files.written(written);
    if (written != cycle) {
      cycle = written;
      cycleBytes = 0;
    }
    cycleBytes += record.limit();
    return appender.lastIndexAppended();
  }

  private void deleteCompactedFiles(long oldestNeededQueueIndex) {
    int keepFrom = appender.cycle();
    if (oldestNeededQueueIndex >= 0) keepFrom = Math.min(keepFrom, queue.rollCycle().toCycle(oldestNeededQueueIndex));
    try {
      int deleted = files.deleteBelow(keepFrom);
      if (deleted > 0) LOG.fine(() -> "compaction deleted " + deleted + " WAL files");
    } catch (RuntimeException e) {
      // the snapshot is durable; a file that stays behind is replayed harmlessly and retried next compaction
      LOG.log(Level.WARNING, "could not delete compacted WAL files", e);
    }
  }

  private void failQueued(Throwable cause) {
    synchronized (submitLock) {
      closed = true;
      for (PendingWrite w; (w = intake.poll()) != null; ) w.done().completeExceptionally(cause);
    }
  }

  /** Stops accepting writes, lets the thread write and force everything queued before, and waits for it. */
  @Override
  public void close() {
    synchronized (submitLock) {
      closed = true;
    }
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
      if (thread.isAlive()) {
        LOG.warning("the WAL writer did not finish within 30 s; interrupting it");
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failQueued(new IllegalStateException("the WAL is closed"));
  }
}
