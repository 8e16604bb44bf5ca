package io.vkv.watch;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte budget shared by every stream of a hub, on top of each stream's own: with thousands of streams that stop
 * reading, the per-stream budgets alone would let the node hold thousands of times that many bytes (and a stream with
 * nothing in flight takes a batch past its own budget, so 10,000 streams would take 10,000 batches). Past the shared
 * budget every stream is refused, empty or not: its watchers are parked or catch up from history later, which holds
 * nothing. A batch larger than the whole budget is taken when nothing else is in flight, so it still gets through.
 * The cost: streams that stop reading can hold the whole budget, and then other watchers wait (parked, retried on
 * the hub's tick) until those streams read or close; the member's memory stays bounded and everything else serves.
 * Thread-safe: streams take and release from their own event loops.
 */
public final class SharedBudget {
  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  public SharedBudget(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  /** Takes {@code bytes} if they fit, or if nothing is taken at all; returns whether they were taken. */
  boolean take(long bytes) {
    while (true) {
      long now = used.get();
      if (now > 0 && now + bytes > capacity) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** Bytes handed to streams and not yet written, across all of them. */
  public long used() {
    return used.get();
  }

  public long capacity() {
    return capacity;
  }
}
