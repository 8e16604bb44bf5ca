package io.vkv.node.tls;

/**
 * When a file that every handshake depends on (a certificate pair, a CRL) is looked at again: at most once per
 * interval, by the one handshake that finds the interval over, while the others that arrive meanwhile wait for it.
 */
final class RecheckInterval {
  private final long intervalNanos;
  private volatile long next;

  RecheckInterval(long intervalNanos) {
    this.intervalNanos = intervalNanos;
    this.next = System.nanoTime() + intervalNanos;
  }

  /** Runs {@code recheck} if the interval is over, on this thread, holding off concurrent callers until it is done. */
  void runIfDue(Runnable recheck) {
    long now = System.nanoTime();
    if (now - next < 0) return;
    synchronized (this) {
      if (now - next < 0) return;
      next = now + intervalNanos;
      recheck.run();
    }
  }
}
