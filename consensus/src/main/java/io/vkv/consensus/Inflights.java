package io.vkv.consensus;

import java.util.ArrayDeque;

/**
 * The APP messages sent to one follower but not yet acknowledged, by last entry index, bounded
 * in count and in bytes: this is the leader's flow-control window in the replicate state.
 */
final class Inflights {
  private record Flight(long index, long bytes) {}

  private final int maxCount;
  private final long maxBytes;
  /** Ordered by strictly increasing index (APPs are sent in order). */
  private final ArrayDeque<Flight> flights = new ArrayDeque<>();
  /** Sum of {@code bytes} in {@link #flights}. */
  private long bytes;

  Inflights(int maxCount, long maxBytes) {
    this.maxCount = maxCount;
    this.maxBytes = maxBytes;
  }

  void add(long index, long size) {
    flights.addLast(new Flight(index, size));
    bytes += size;
  }

  /** Frees every flight up to and including {@code index} (acknowledged). */
  void freeLE(long index) {
    while (!flights.isEmpty() && flights.peekFirst().index() <= index) {
      bytes -= flights.removeFirst().bytes();
    }
  }

  /** Frees the oldest flight: lets a stalled window probe again after a heartbeat response. */
  void freeFirstOne() {
    if (!flights.isEmpty()) {
      bytes -= flights.removeFirst().bytes();
    }
  }

  boolean full() {
    return flights.size() >= maxCount || bytes >= maxBytes;
  }

  int count() {
    return flights.size();
  }

  void reset() {
    flights.clear();
    bytes = 0;
  }
}
