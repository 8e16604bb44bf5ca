package io.vkv.wal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The one thread that writes the queue: group commit. It takes everything queued, writes it, forces the touched
 * files once, publishes the batch to readers, then completes the futures. Writes queued while a force is in flight
 * form the next batch, so batches grow with the load and callers never block.
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

  private final SingleChronicleQueue queue;
  private final CycleFiles files;
  private final Publisher publisher;
  private final int maxQueued;
  private final int maxBatch;
  private final LinkedBlockingQueue<PendingWrite> intake = new LinkedBlockingQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Object submitLock = new Object();
  private final RecordCodec codec = new RecordCodec();
  private final Thread thread;
  private boolean closed; // guarded by submitLock
  /** Whether unsynced hard states were written since the last force (writer thread only). */
  private boolean unforced;
  private volatile Throwable broken;

  // the writer's view of the log, including the batch not yet forced
  private long first;
  private long last;
  private long snapshotIndex;
  private HardState hardState;

  WalWriter(SingleChronicleQueue queue, CycleFiles files, LogIndex recovered, WalConfig config, Publisher publisher) {
    this.queue = queue;
    this.files = files;
    this.publisher = publisher;
    this.maxQueued = config.maxQueuedWrites();
    this.maxBatch = config.maxBatchWrites();
    this.first = recovered.firstIndex();
    this.last = recovered.lastIndex();
    this.snapshotIndex = recovered.snapshot().index();
    this.hardState = recovered.hardState();
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
    return write.done();
  }

  private void run() {
    List<PendingWrite> batch = new ArrayList<>();
    boolean stop = false;
    try (ExcerptAppender appender = queue.createAppender()) {
      while (!stop) {
        batch.add(intake.take());
        intake.drainTo(batch, maxBatch - 1);
        queued.addAndGet(-batch.size());
        stop = writeBatch(appender, batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "the WAL writer stopped", e);
      broken = e;
    } finally {
      IllegalStateException stopped = new IllegalStateException("the WAL writer stopped", broken);
      batch.forEach(w -> w.done().completeExceptionally(stopped));
      failQueued(stopped);
      files.close();
    }
  }

  /** @return whether the batch ended with the stop request */
  private boolean writeBatch(ExcerptAppender appender, List<PendingWrite> batch) {
    List<PendingWrite> written = new ArrayList<>(batch.size());
    boolean stop = false;
    boolean compacted = false;
    boolean sync = false;
    for (PendingWrite w : batch) {
      if (w instanceof PendingWrite.Stop) {
        stop = true;
      } else if (broken != null) {
        w.done().completeExceptionally(new IllegalStateException("the WAL failed earlier: " + broken, broken));
      } else {
        try {
          write(appender, w);
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
    if (written.isEmpty() && !(stop && unforced)) return stop;
    try {
      // a batch of unsynced hard states alone waits for the next forced batch, or for the close
      if (sync || stop) files.force();
      unforced = !(sync || stop);
    } catch (Exception e) {
      fail(written, e);
      return stop;
    }
    long oldestNeeded = publisher.publish(written);
    if (compacted) deleteCompactedFiles(appender, oldestNeeded);
    for (PendingWrite w : written) w.done().complete(null);
    return stop;
  }

  private void fail(List<PendingWrite> writes, Throwable cause) {
    broken = cause;
    LOG.log(Level.SEVERE, "WAL write failed; refusing further writes", cause);
    for (PendingWrite w : writes) w.done().completeExceptionally(cause);
  }

  private void write(ExcerptAppender appender, PendingWrite w) {
    if (w instanceof PendingWrite.Save s) {
      writeSave(appender, s);
    } else if (w instanceof PendingWrite.Truncate t) {
      if (t.fromIndex() < first) {
        throw new IllegalArgumentException("cannot truncate from index " + t.fromIndex()
            + ": the log starts at " + first + " (entries up to " + snapshotIndex + " are compacted)");
      }
      if (t.fromIndex() <= last) {
        append(appender, codec.truncate(t.fromIndex()));
        last = t.fromIndex() - 1;
      }
    } else if (w instanceof PendingWrite.Compact c) {
      SnapshotMeta snap = c.snapshot();
      if (snap.index() < snapshotIndex) {
        throw new IllegalArgumentException("snapshot at index " + snap.index()
            + " is older than the current snapshot at " + snapshotIndex);
      }
      append(appender, codec.snapshot(snap));
      append(appender, codec.hardState(hardState)); // older hard state records may sit in files about to go
      snapshotIndex = snap.index();
      first = snap.index() + 1;
      last = Math.max(last, snap.index());
    } else if (w instanceof PendingWrite.Open o) {
      append(appender, codec.open(o.lastGoodQueueIndex()));
    }
  }

  private void writeSave(ExcerptAppender appender, PendingWrite.Save s) {
    List<WalEntry> entries = s.entries();
    if (!entries.isEmpty()) {
      long start = entries.get(0).index();
      if (start < first || start > last + 1) {
        throw new IllegalArgumentException("cannot append at index " + start + ": the next index must be in ["
            + first + ", " + (last + 1) + "] (first index " + first + ", last index " + last + ")");
      }
    }
    for (int i = 0; i < entries.size(); i++) {
      s.queueIndexes()[i] = append(appender, codec.entry(entries.get(i)));
    }
    if (!entries.isEmpty()) last = entries.get(entries.size() - 1).index();
    if (s.hardState() != null) {
      append(appender, codec.hardState(s.hardState()));
      hardState = s.hardState();
    }
  }

  private long append(ExcerptAppender appender, ByteBuffer record) {
    try (DocumentContext dc = appender.writingDocument()) {
      dc.wire().bytes().write(record.array(), 0, record.limit());
    }
    files.written(appender.cycle());
    return appender.lastIndexAppended();
  }

  private void deleteCompactedFiles(ExcerptAppender appender, long oldestNeededQueueIndex) {
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
      if (!closed) {
        closed = true;
        intake.add(new PendingWrite.Stop());
      }
    }
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
