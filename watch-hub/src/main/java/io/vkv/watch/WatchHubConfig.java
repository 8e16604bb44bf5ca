package io.vkv.watch;

/**
 * Tuning of the hub, one immutable record.
 *
 * @param syncChunkEvents events read from history per catch-up round (bounds a round's memory)
 * @param victimBytesPerStream refused bytes the hub keeps parked per stream; beyond it a refused
 *     watcher drops its batch and catches up from history instead
 * @param streamBufferBytes the per-stream budget the node gives its {@link BudgetedSink}s
 * @param totalVictimBytes refused bytes the hub keeps parked across all streams; beyond it a refused watcher
 *     catches up from history, as past its stream's cap
 * @param totalStreamBufferBytes the budget all streams share ({@link WatchHub#streamBuffers}), on top of each one's own
 */
public record WatchHubConfig(int syncChunkEvents, long victimBytesPerStream, long streamBufferBytes,
                             long totalVictimBytes, long totalStreamBufferBytes) {

  /** Per-stream limits only: no cap across streams. */
  public static final WatchHubConfig DEFAULT = new WatchHubConfig(1000, 1 << 20, 4 << 20);

  public WatchHubConfig {
    if (syncChunkEvents < 1 || victimBytesPerStream < 0 || streamBufferBytes < 1 || totalVictimBytes < 0
        || totalStreamBufferBytes < 1) {
      throw new IllegalArgumentException("bad watch hub config");
    }
  }

  /** Per-stream limits only. */
  public WatchHubConfig(int syncChunkEvents, long victimBytesPerStream, long streamBufferBytes) {
    this(syncChunkEvents, victimBytesPerStream, streamBufferBytes, Long.MAX_VALUE, Long.MAX_VALUE);
  }

  /**
   * The defaults with caps across streams sized from the memory the node may use, so that thousands of streams
   * that never read cost a share of it, not thousands of per-stream budgets. A sixteenth for events handed to
   * streams and not yet written: a batch's bytes are held two to three times over on their way out (the encoded
   * message, its HTTP/2 frames), and 10,000 idle streams already take ~100 MiB. An eighth for parked batches, which
   * share their events with the batches delivered and cost little beyond the count.
   */
  public static WatchHubConfig forMemory(long maxBytes) {
    return new WatchHubConfig(DEFAULT.syncChunkEvents, DEFAULT.victimBytesPerStream, DEFAULT.streamBufferBytes,
        Math.max(DEFAULT.victimBytesPerStream, maxBytes / 8), Math.max(DEFAULT.streamBufferBytes, maxBytes / 16));
  }
}
