package io.vkv.watch;

/**
 * Tuning of the hub, one immutable record.
 *
 * @param syncChunkEvents events read from history per catch-up round (bounds a round's memory)
 * @param victimBytesPerStream refused bytes the hub keeps parked per stream; beyond it a refused
 *     watcher drops its batch and catches up from history instead
 * @param streamBufferBytes the per-stream budget the node gives its {@link BudgetedSink}s
 */
public record WatchHubConfig(int syncChunkEvents, long victimBytesPerStream, long streamBufferBytes) {

  public static final WatchHubConfig DEFAULT = new WatchHubConfig(1000, 1 << 20, 4 << 20);

  public WatchHubConfig {
    if (syncChunkEvents < 1 || victimBytesPerStream < 0 || streamBufferBytes < 1) {
      throw new IllegalArgumentException("bad watch hub config");
    }
  }
}
