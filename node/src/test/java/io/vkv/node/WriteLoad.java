package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.vertx.core.Vertx;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sequential writers, each putting unique keys to one member, recording what was acknowledged and how every
 * put ended, for checking after faults that every acknowledged write survived.
 */
final class WriteLoad {
  static final String PREFIX = "load/";
  static final long RETRY_PAUSE_MS = 20;

  /** How one put ended: {@code error} null for an acknowledgement. */
  record Outcome(int member, String key, long startedNanos, long endedNanos, Throwable error) {}

  final Map<String, String> acked = new ConcurrentHashMap<>();
  final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger writers = new AtomicInteger();
  private final Vertx vertx;

  /** @param vertx the clients' Vert.x, for pausing a writer briefly after a failed put */
  WriteLoad(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts a writer that puts {@code load/w<n>/<seq>} to {@code member} until stopped. */
  void start(KVGrpcClient kv, int member) {
    start(() -> kv, member);
  }

  /** As {@link #start(KVGrpcClient, int)}, each put to the client {@code kv} gives then (a member chosen per put). */
  void start(java.util.function.Supplier<KVGrpcClient> kv, int member) {
    write(kv, member, PREFIX + "w" + writers.getAndIncrement() + "/", 0);
  }

  private void write(java.util.function.Supplier<KVGrpcClient> kv, int member, String prefix, int seq) {
    inFlight.incrementAndGet(); // before the check: once stopAndAwait sees none in flight, no put starts
    if (stop.get()) {
      inFlight.decrementAndGet();
      return;
    }
    String key = prefix + seq;
    String value = "v" + seq;
    long started = System.nanoTime();
    kv.get().put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value))
        .build()).onComplete(ar -> {
          if (ar.succeeded()) acked.put(key, value);
          outcomes.add(new Outcome(member, key, started, System.nanoTime(), ar.failed() ? ar.cause() : null));
          inFlight.decrementAndGet();
          if (ar.succeeded()) {
            write(kv, member, prefix, seq + 1);
          } else {
            vertx.setTimer(RETRY_PAUSE_MS, t -> write(kv, member, prefix, seq + 1)); // a dead member fails at once
          }
        });
  }

  int ackedCount() {
    return acked.size();
  }

  /** Puts to {@code member} that started at or after {@code nanos}. */
  List<Outcome> startedOn(int member, long nanos) {
    return outcomes.stream().filter(o -> o.member() == member && o.startedNanos() - nanos >= 0).toList();
  }

  /** Stops the writers and waits until no put is in flight, so that no acknowledgement arrives after a check. */
  void stopAndAwait(long withinMs) {
    stop.set(true);
    Wait.until(Duration.ofMillis(withinMs), "the last writes to finish", () -> inFlight.get() == 0);
  }

  /** Every acknowledged write is on member {@code i} (a linearizable read). */
  void assertAllOn(TestCluster cluster, int i) throws Exception {
    assertAllIn(cluster.scan(i, PREFIX, false), "m" + i);
  }

  /** Every acknowledged write is among {@code found} (the keys under {@link #PREFIX} read from {@code where}). */
  void assertAllIn(Map<String, String> found, String where) {
    for (var e : acked.entrySet()) {
      assertEquals(e.getValue(), found.get(e.getKey()), "acknowledged write " + e.getKey() + " on " + where);
    }
  }
}
