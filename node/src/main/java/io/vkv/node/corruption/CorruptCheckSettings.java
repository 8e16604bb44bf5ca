package io.vkv.node.corruption;

/**
 * etcd's corruption-check flags.
 *
 * @param initialCheck {@code --experimental-initial-corrupt-check}: before serving, compare this member's hash with
 *     its peers' and refuse to start on a mismatch
 * @param intervalMs {@code --experimental-corrupt-check-time}: how often the leader compares every member's hash
 *     with its own (0: never)
 */
public record CorruptCheckSettings(boolean initialCheck, long intervalMs) {
  public static final CorruptCheckSettings DEFAULT = new CorruptCheckSettings(false, 0);

  public CorruptCheckSettings {
    if (intervalMs < 0) throw new IllegalArgumentException("--experimental-corrupt-check-time must not be negative");
  }
}
