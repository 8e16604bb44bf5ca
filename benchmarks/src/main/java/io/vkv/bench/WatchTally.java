package io.vkv.bench;

import io.vertx.core.Promise;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every watch stream shares: the event count that ends the run, connections opened, and a sample of errors.
 * One atomic add per response (not per event) keeps the shared word cheap.
 */
final class WatchTally {
  private static final int MAX_SAMPLED_ERRORS = 5;

  private final long expected;
  private final AtomicLong events = new AtomicLong();
  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger streamErrors = new AtomicInteger();
  final ConcurrentLinkedQueue<String> sampledErrors = new ConcurrentLinkedQueue<>();
  final Promise<Void> allEvents = Promise.promise();

  WatchTally(long expected) {
    this.expected = expected;
  }

  void eventsArrived(int n) {
    if (events.addAndGet(n) >= expected) allEvents.tryComplete();
  }

  long events() {
    return events.get();
  }

  void error(String message) {
    streamErrors.incrementAndGet();
    if (sampledErrors.size() < MAX_SAMPLED_ERRORS) sampledErrors.add(message);
  }
}
