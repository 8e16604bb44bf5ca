package io.vkv.node.lease;

/**
 * How the leader's lessor runs.
 *
 * @param checkpointIntervalMs how often the leader writes the remaining TTL of every lease into the log (etcd: 5 min)
 * @param revokesPerSecond the most expired leases revoked per second (etcd: 1000)
 */
public record LeaseSettings(long checkpointIntervalMs, int revokesPerSecond) {
  public static final LeaseSettings DEFAULT = new LeaseSettings(5 * 60 * 1000, 1000);
  /** etcd's MaxLeaseTTL: 9,000,000,000 s; a larger TTL is refused with "too large lease TTL". */
  public static final long MAX_TTL_SECONDS = 9_000_000_000L;

  public LeaseSettings {
    if (checkpointIntervalMs <= 0) throw new IllegalArgumentException("--experimental-lease-checkpoint-interval must be > 0");
    if (revokesPerSecond <= 0) throw new IllegalArgumentException("--experimental-lease-revoke-rate must be > 0");
  }

  /**
   * etcd's minimum TTL: a lease must outlive an election, so TTLs below (3 * election ticks / 2) heartbeats,
   * rounded up to whole seconds, are raised to it (2 s with the default 100 ms / 1000 ms).
   */
  public static long minTtlSeconds(long heartbeatMs, long electionTimeoutMs) {
    long electionTicks = electionTimeoutMs / heartbeatMs;
    long minMs = (3 * electionTicks / 2) * heartbeatMs;
    return (minMs + 999) / 1000;
  }
}
