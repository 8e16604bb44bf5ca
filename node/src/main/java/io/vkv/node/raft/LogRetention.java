package io.vkv.node.raft;

/**
 * How much Raft log a member keeps: it compacts the WAL once {@code compactEvery} entries were applied since the
 * last compaction (etcd's --snapshot-count), keeping {@code catchUpEntries} behind the applied index so that a
 * briefly lagging member can still catch up from the log; one further behind gets a snapshot (etcd's
 * --experimental-snapshot-catchup-entries). Part of the node's config, read when the member opens.
 */
public record LogRetention(long compactEvery, long catchUpEntries) {
  /** vkv's defaults, unchanged since before they were flags (etcd 3.5's are 100,000 and 5,000). */
  public static final LogRetention DEFAULT = new LogRetention(50_000, 10_000);

  public LogRetention {
    if (compactEvery <= 0) throw new IllegalArgumentException("--snapshot-count must be > 0, got " + compactEvery);
    if (catchUpEntries <= 0) {
      throw new IllegalArgumentException("--experimental-snapshot-catchup-entries must be > 0, got " + catchUpEntries);
    }
  }
}
