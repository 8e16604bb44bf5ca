package io.vkv.wal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.function.LongConsumer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;

/**
 * The cycle files of the queue as files: forcing them to disk and deleting them. Chronicle's own sync is not
 * durable (it msyncs one mapped chunk, the rest later), so the writer forces each file a batch touched through its
 * own {@link FileChannel}; fdatasync on the file also writes back pages dirtied through Chronicle's mapping.
 * Used by the writer thread only.
 */
final class CycleFiles implements AutoCloseable {
  static final int NO_CYCLE = Integer.MIN_VALUE;
  private final SingleChronicleQueue queue;
  private final Path dir;
  private final LongConsumer fsyncNanos;
  private final ForceFailpoint failpoint = ForceFailpoint.fromSystemProperty();
  private final Map<Integer, FileChannel> channels = new HashMap<>();
  private final List<Integer> dirty = new ArrayList<>();
  private boolean directoryDirty = true; // the directory itself or its metadata file may be new
  private int currentCycle;

  /** @param lastCycle the newest cycle that already holds data, or {@link #NO_CYCLE} */
  CycleFiles(SingleChronicleQueue queue, Path dir, int lastCycle, LongConsumer fsyncNanos) {
    this.queue = queue;
    this.dir = dir;
    this.currentCycle = lastCycle;
    this.fsyncNanos = fsyncNanos;
  }

  /** The file holding a cycle, as Chronicle names it. */
  File fileOf(int cycle) {
    return fileOf(queue, cycle);
  }

  static File fileOf(SingleChronicleQueue queue, int cycle) {
    SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
    if (store == null) return new File(queue.file(), "cycle-" + cycle + " (missing)");
    try {
      return store.file();
    } finally {
      queue.closeStore(store);
    }
  }

  /** Notes that a cycle was written since the last force. */
  void written(int cycle) {
    if (cycle == currentCycle) {
      if (!dirty.contains(cycle)) dirty.add(cycle);
      return;
    }
    // a roll writes an end-of-file marker into the previous cycle and creates a file: force both, and the directory
    if (currentCycle != NO_CYCLE && !dirty.contains(currentCycle)) dirty.add(currentCycle);
    dirty.add(cycle);
    directoryDirty = true;
    currentCycle = cycle;
  }

  /** Forces every file written since the last call (and the directory after a new file appeared). */
  void force() throws IOException {
    if (dirty.isEmpty()) return;
    long start = System.nanoTime();
    failpoint.beforeForce(); // test-only slow disk; counted in the fsync time, as a slow disk would be
    for (int cycle : dirty) channel(cycle).force(false);
    if (directoryDirty) {
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
      directoryDirty = false;
    }
    fsyncNanos.accept(System.nanoTime() - start);
    for (int cycle : dirty) {
      if (cycle != currentCycle) closeChannel(cycle); // rolled away from: no more writes
    }
    dirty.clear();
  }

  private FileChannel channel(int cycle) throws IOException {
    FileChannel channel = channels.get(cycle);
    if (channel == null) {
      channel = FileChannel.open(fileOf(cycle).toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE);
      channels.put(cycle, channel);
    }
    return channel;
  }

  /** Deletes every cycle file strictly below {@code cycle}; returns how many went. */
  int deleteBelow(int cycle) {
    int firstCycle = queue.firstCycle();
    if (firstCycle >= cycle) return 0;
    // both bounds must be cycles that exist
    NavigableSet<Long> cycles = queue.listCyclesBetween(firstCycle, queue.lastCycle());
    int deleted = 0;
    for (long c : cycles) {
      if (c >= cycle) continue;
      File file = fileOf((int) c);
      closeChannel((int) c);
      try {
        if (Files.deleteIfExists(file.toPath())) deleted++;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete compacted WAL file " + file, e);
      }
    }
    if (deleted > 0) {
      directoryDirty = true;
      queue.refreshDirectoryListing();
    }
    return deleted;
  }

  private void closeChannel(int cycle) {
    FileChannel channel = channels.remove(cycle);
    if (channel == null) return;
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing a channel we only forced through loses nothing
    }
  }

  @Override
  public void close() {
    for (int cycle : new ArrayList<>(channels.keySet())) closeChannel(cycle);
  }
}
