package io.vkv.client;

/** The deadline and retry settings every call of one client shares, in nanoseconds. */
record CallPolicy(long callTimeoutNanos, int maxAttempts, long backoffNanos, long maxBackoffNanos) {
  static CallPolicy of(VkvClientOptions o) {
    return new CallPolicy(o.getCallTimeout().toNanos(), o.getMaxAttempts(), o.getRetryBackoff().toNanos(),
        o.getMaxRetryBackoff().toNanos());
  }
}
