package io.vkv.bench;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What all clients share: which request number is next, when the run ends, the pacing schedule and the counts.
 * Lock-free; the only contended word is the request counter.
 */
final class RunState {
  private static final int MAX_SAMPLED_ERRORS = 5;

  private final long total;
  private final long endNanos;
  private final double nanosPerOp;
  private final AtomicLong next = new AtomicLong();
  final AtomicLong done = new AtomicLong();
  final AtomicLong errors = new AtomicLong();
  final ConcurrentLinkedQueue<String> sampledErrors = new ConcurrentLinkedQueue<>();
  final long startNanos;

  RunState(Settings s, long startNanos) {
    this.startNanos = startNanos;
    this.total = s.total();
    this.endNanos = s.duration() == null ? Long.MAX_VALUE : startNanos + s.duration().toNanos();
    this.nanosPerOp = s.rate() > 0 ? 1e9 / s.rate() : 0;
  }

  /** The next request number, or -1 when the run is over. */
  long claim() {
    if (total < 0 && System.nanoTime() - endNanos >= 0) return -1;
    long op = next.getAndIncrement();
    return total >= 0 && op >= total ? -1 : op;
  }

  /** When request {@code op} is due under --rate (0 without a rate: now). */
  long dueNanos(long op) {
    return nanosPerOp == 0 ? 0 : startNanos + (long) (op * nanosPerOp);
  }

  void failed(Throwable t) {
    if (errors.incrementAndGet() <= MAX_SAMPLED_ERRORS) sampledErrors.add(ErrorText.of(t));
  }
}
