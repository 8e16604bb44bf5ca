package io.vkv.wal;

import java.io.File;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Rebuilds the {@link LogIndex} by replaying the whole queue in order. Damaged records (bad length or checksum)
 * are tolerated only as a torn tail: when nothing valid follows them, or when the next valid record is the
 * {@link WalRecord.Open} marker by which an earlier recovery acknowledged dropping exactly them. Anything else
 * is corruption in the middle of the log and fails the open, naming the file and offset.
 */
final class Recovery {
  /** Where the first damaged record of a run sits. */
  record Damage(int cycle, long offset, long queueIndex, String reason) { }

  /**
   * @param lastGoodQueueIndex queue index of the last valid record, -1 if none
   * @param tornTail the dropped torn tail, or null if the log ended cleanly
   */
  record Result(LogIndex index, long lastGoodQueueIndex, int droppedRecords, Damage tornTail) { }

  private Recovery() { }

  static Result replay(SingleChronicleQueue queue) {
    LogIndex index = LogIndex.forReplay();
    long lastGood = -1;
    Damage damage = null;
    int damagedCount = 0;
    byte[] buffer = new byte[4096];
    try (ExcerptTailer tailer = queue.createTailer()) {
      while (true) {
        long queueIndex;
        long offset;
        int length;
        try (DocumentContext dc = tailer.readingDocument()) {
          if (!dc.isPresent()) break;
          Bytes<?> bytes = dc.wire().bytes();
          queueIndex = dc.index();
          offset = bytes.readPosition();
          length = (int) bytes.readRemaining();
          if (buffer.length < length) buffer = new byte[Math.max(length, buffer.length * 2)];
          bytes.read(buffer, 0, length);
        } catch (RuntimeException e) {
          throw new WalCorruptedException("cannot read the WAL queue in " + queue.file() + " after queue index "
              + hex(lastGood) + ": " + e, e);
        }
        int cycle = queue.rollCycle().toCycle(queueIndex);
        WalRecord record;
        try {
          record = RecordCodec.decode(buffer, length);
        } catch (BadRecordException e) {
          if (damage == null) damage = new Damage(cycle, offset, queueIndex, e.getMessage());
          damagedCount++;
          continue;
        }
        if (damage != null) {
          if (!(record instanceof WalRecord.Open open) || open.lastGoodQueueIndex() != lastGood) {
            throw new WalCorruptedException(describe(queue, damage) + "; valid records follow it (next at queue index "
                + hex(queueIndex) + "), so it is not a torn tail. Refusing to open: restore this member's data"
                + " from a peer or a backup");
          }
          damage = null; // a torn tail that an earlier open already dropped
          damagedCount = 0;
        }
        try {
          apply(record, queueIndex, index);
        } catch (IllegalStateException e) {
          throw new WalCorruptedException("WAL record in " + fileOf(queue, cycle) + " at offset " + offset
              + " (queue index " + hex(queueIndex) + ") does not fit the log: " + e.getMessage(), e);
        }
        lastGood = queueIndex;
      }
    }
    try {
      index.finishReplay();
    } catch (IllegalStateException e) {
      throw new WalCorruptedException("WAL in " + queue.file() + " is incomplete: " + e.getMessage(), e);
    }
    return new Result(index, lastGood, damagedCount, damage);
  }

  static void apply(WalRecord record, long queueIndex, LogIndex index) {
    if (record instanceof WalRecord.Entry e) {
      index.append(e.entry().index(), e.entry().term(), queueIndex);
    } else if (record instanceof WalRecord.State s) {
      index.hardState(s.hardState());
    } else if (record instanceof WalRecord.Truncate t) {
      index.truncateFrom(t.fromIndex());
    } else if (record instanceof WalRecord.Snapshot s) {
      index.compact(s.snapshot());
    }
    // Open markers only matter for the damage check above
  }

  static String describe(SingleChronicleQueue queue, Damage d) {
    return "damaged WAL record in " + fileOf(queue, d.cycle()) + " at offset " + d.offset() + " (queue index "
        + hex(d.queueIndex()) + "): " + d.reason();
  }

  static File fileOf(SingleChronicleQueue queue, int cycle) {
    return CycleFiles.fileOf(queue, cycle);
  }

  static String hex(long queueIndex) {
    return queueIndex < 0 ? "none" : "0x" + Long.toHexString(queueIndex);
  }
}
