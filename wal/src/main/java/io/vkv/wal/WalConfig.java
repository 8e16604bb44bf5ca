package io.vkv.wal;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

/**
 * How a {@link Wal} is laid out and tuned.
 *
 * @param dir the queue directory (created if missing)
 * @param rollCycle Chronicle roll cycle: one file per cycle; compaction deletes whole files, so the cycle bounds
 *     how much disk a compacted prefix can hold on to
 * @param clockMillis wall clock used to pick the cycle; tests pass a settable clock to force rolls
 * @param maxQueuedWrites writes waiting for the writer thread beyond this fail fast instead of queueing unbounded
 * @param maxBatchWrites most queued writes folded into one forced batch
 * @param fsyncNanos metric hook, called on the writing thread (the writer thread, or the caller of a {@code *Now}
 *     write) with the duration of each force (all files of a batch)
 */
public record WalConfig(
    Path dir,
    RollCycle rollCycle,
    LongSupplier clockMillis,
    int maxQueuedWrites,
    int maxBatchWrites,
    LongConsumer fsyncNanos) {

  public WalConfig {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(rollCycle, "rollCycle");
    Objects.requireNonNull(clockMillis, "clockMillis");
    if (maxQueuedWrites < 1) throw new IllegalArgumentException("maxQueuedWrites must be >= 1: " + maxQueuedWrites);
    if (maxBatchWrites < 1) throw new IllegalArgumentException("maxBatchWrites must be >= 1: " + maxBatchWrites);
    if (fsyncNanos == null) fsyncNanos = nanos -> { };
  }

  /** Hourly files (FAST_HOURLY: up to 4 billion records per hour), 65,536 queued writes, 4,096 per batch. */
  public static WalConfig defaults(Path dir) {
    return new WalConfig(dir, RollCycles.FAST_HOURLY, System::currentTimeMillis, 65_536, 4_096, nanos -> { });
  }

  public WalConfig withRollCycle(RollCycle cycle) {
    return new WalConfig(dir, cycle, clockMillis, maxQueuedWrites, maxBatchWrites, fsyncNanos);
  }

  public WalConfig withClockMillis(LongSupplier clock) {
    return new WalConfig(dir, rollCycle, clock, maxQueuedWrites, maxBatchWrites, fsyncNanos);
  }

  public WalConfig withMaxQueuedWrites(int max) {
    return new WalConfig(dir, rollCycle, clockMillis, max, maxBatchWrites, fsyncNanos);
  }

  public WalConfig withFsyncNanos(LongConsumer hook) {
    return new WalConfig(dir, rollCycle, clockMillis, maxQueuedWrites, maxBatchWrites, hook);
  }
}
