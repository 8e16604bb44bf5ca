package io.vkv.node.raft;

/**
 * How much Raft log a member keeps: it compacts the WAL once {@code compactEvery} entries were applied since the
 * last compaction, keeping {@code catchUpEntries} behind the applied index so that a briefly lagging member can
 * still catch up from the log (one further behind gets a snapshot). Members read it when they open.
 */
public record LogRetention(long compactEvery, long catchUpEntries) {
  public static final LogRetention DEFAULT = new LogRetention(50_000, 10_000);
  private static volatile LogRetention current = DEFAULT;

  static LogRetention current() {
    return current;
  }

  /**
   * Tests only: members opened in this JVM from now on keep this much log, until the returned handle is closed.
   * Lets a cluster test push the leader's log past a follower with thousands of writes instead of 60,000.
   */
  public static AutoCloseable overrideForTests(LogRetention retention) {
    current = retention;
    return () -> current = DEFAULT;
  }
}
