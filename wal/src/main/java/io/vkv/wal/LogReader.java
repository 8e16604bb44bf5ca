package io.vkv.wal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads entries back from the queue by their queue index. Chronicle tailers are single-threaded, so each read
 * borrows one from a pool (a reader thread that reads sequentially keeps hitting a tailer already positioned near
 * where it left off). Callers hold {@link Wal}'s read lock, so no file is deleted under a read.
 */
final class LogReader implements AutoCloseable {
  private final SingleChronicleQueue queue;
  private final ConcurrentLinkedQueue<ExcerptTailer> idle = new ConcurrentLinkedQueue<>();

  LogReader(SingleChronicleQueue queue) {
    this.queue = queue;
  }

  /** Entries {@code [lo, hi)}, stopping before the data would exceed {@code maxBytes} (but at least one). */
  List<WalEntry> read(LogIndex index, long lo, long hi, long maxBytes) {
    List<WalEntry> result = new ArrayList<>((int) Math.min(hi - lo, 256));
    ExcerptTailer tailer = borrow();
    try {
      byte[][] buffer = {new byte[4096]}; // grown in place for large entries
      long bytes = 0;
      for (long i = lo; i < hi; i++) {
        WalEntry entry = readEntry(tailer, index.queueIndex(i), i, buffer);
        bytes += entry.data().length;
        if (!result.isEmpty() && bytes > maxBytes) break;
        result.add(entry);
      }
      return result;
    } finally {
      idle.offer(tailer);
    }
  }

  private WalEntry readEntry(ExcerptTailer tailer, long queueIndex, long raftIndex, byte[][] buffer) {
    if (tailer.index() != queueIndex && !tailer.moveToIndex(queueIndex)) {
      throw new IllegalStateException("WAL entry " + raftIndex + " at queue index 0x" + Long.toHexString(queueIndex)
          + " is missing from the queue");
    }
    try (DocumentContext dc = tailer.readingDocument()) {
      if (!dc.isPresent() || dc.index() != queueIndex) {
        throw new IllegalStateException("WAL entry " + raftIndex + " expected at queue index 0x"
            + Long.toHexString(queueIndex) + " but the queue has " + (dc.isPresent() ? "0x" + Long.toHexString(dc.index()) : "nothing"));
      }
      Bytes<?> bytes = dc.wire().bytes();
      int length = (int) bytes.readRemaining();
      if (buffer[0].length < length) buffer[0] = new byte[Math.max(length, buffer[0].length * 2)];
      byte[] raw = buffer[0];
      bytes.read(raw, 0, length);
      WalRecord record = RecordCodec.decode(raw, length);
      if (!(record instanceof WalRecord.Entry e) || e.entry().index() != raftIndex) {
        throw new IllegalStateException("queue index 0x" + Long.toHexString(queueIndex) + " holds " + record
            + ", not WAL entry " + raftIndex);
      }
      return e.entry();
    } catch (BadRecordException e) {
      throw new IllegalStateException("WAL entry " + raftIndex + " at queue index 0x" + Long.toHexString(queueIndex)
          + " is damaged: " + e.getMessage());
    }
  }

  private ExcerptTailer borrow() {
    ExcerptTailer tailer = idle.poll();
    if (tailer == null) tailer = queue.createTailer();
    tailer.singleThreadedCheckReset(); // pooled: used by one thread at a time, not always the same one
    return tailer;
  }

  @Override
  public void close() {
    for (ExcerptTailer t; (t = idle.poll()) != null; ) t.close();
  }
}
