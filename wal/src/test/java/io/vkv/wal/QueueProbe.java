package io.vkv.wal;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.RollCycles;
import java.nio.file.Path;
import net.openhft.chronicle.wire.DocumentContext;

/** Test helper: where each excerpt of a closed WAL sits on disk, to damage it on purpose. */
final class QueueProbe {
  record Excerpt(File file, long offset, int length, byte kind) { }

  private QueueProbe() { }

  static List<Excerpt> excerpts(Path dir) {
    List<Excerpt> result = new ArrayList<>();
    try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(dir.toFile()).rollCycle(RollCycles.FAST_HOURLY)
        .readOnly(true).build(); ExcerptTailer tailer = queue.createTailer()) {
      while (true) {
        try (DocumentContext dc = tailer.readingDocument()) {
          if (!dc.isPresent()) break;
          Bytes<?> bytes = dc.wire().bytes();
          long offset = bytes.readPosition();
          int length = (int) bytes.readRemaining();
          byte kind = bytes.readByte(offset + RecordCodec.PREFIX_BYTES);
          File file = CycleFiles.fileOf(queue, queue.rollCycle().toCycle(dc.index()));
          result.add(new Excerpt(file, offset, length, kind));
        }
      }
    }
    return result;
  }

  static List<Excerpt> entries(Path dir) {
    return excerpts(dir).stream().filter(e -> e.kind() == RecordCodec.ENTRY).toList();
  }
}
