package io.vkv.client;

/** The deadline and retry settings every call of one client shares, in nanoseconds. */
record CallPolicy(long callTimeoutNanos, int maxAttempts, long backoffNanos, long maxBackoffNanos) {
  static CallPolicy of(VkvClientOptions o) {
    return new CallPolicy(o.getCallTimeout().toNanos(), o.getMaxAttempts(), o.getRetryBackoff().toNanos(),
        o.getMaxRetryBackoff().toNanos());
  }

  /** The same retries with another deadline (0: none), for calls that wait by design, like Lock and Campaign. */
  CallPolicy withTimeout(long timeoutNanos) {
    return new CallPolicy(timeoutNanos, maxAttempts, backoffNanos, maxBackoffNanos);
  }

  /**
   * The pause before reconnect number {@code failures} (1-based) of a long-lived stream: none when another endpoint
   * can take the first retry, then doubling up to the maximum.
   */
  long streamBackoffNanos(int failures, int endpoints) {
    int waits = endpoints > 1 ? failures - 1 : failures;
    if (waits <= 0) return 0;
    long d = backoffNanos << Math.min(20, waits - 1);
    return Math.min(d < 0 ? Long.MAX_VALUE : d, maxBackoffNanos);
  }
}
