package io.vkv.node.watch;

import static io.vkv.node.watch.WatchTarget.bs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vkv.api.etcdserverpb.WatchCreateRequest;
import io.vkv.api.etcdserverpb.WatchRequest;
import io.vkv.api.mvccpb.Event;
import io.vkv.node.testing.Wait;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One stream stops reading while 100 others keep up: the others receive every event with bounded delay, the node's
 * heap does not grow with the stalled stream's backlog (it is parked and later caught up from the store, not
 * buffered), and the stalled stream, once it reads again, gets everything exactly once and in order.
 */
@Timeout(120)
class WatchSlowConsumerTest {
  private static final int ROUNDS = 3000;
  private static final int FAST_STREAMS = 100;
  private static final int BIG_VALUE_BYTES = 16 * 1024;
  /** ~48 MB of big values: far past the stalled stream's 4 MiB budget and its HTTP/2 windows. */
  private static final long BACKLOG_BYTES = (long) ROUNDS * BIG_VALUE_BYTES;
  private static final int IN_FLIGHT = 64;
  /** Generous for a loaded 2-core CI machine; a stall that reached the other streams would last the whole run. */
  private static final long MAX_FAST_DELAY_MS = 5_000;

  @TempDir Path dir;

  @Test
  void stalledStreamDoesNotDelayTheOthersNorGrowTheHeap() {
    try (WatchTarget target = WatchTarget.start(dir.resolve("data"), 64 * 1024)) {
      WatchRequest everything = WatchTestClient.createRequest(WatchCreateRequest.newBuilder().setKey(bs("\0")).setRangeEnd(bs("\0")));
      WatchRequest small = WatchTestClient.createRequest(WatchCreateRequest.newBuilder().setKey(bs("small/")).setRangeEnd(bs("small0")));
      WatchTestClient stalled = target.openPaused(everything);
      List<TallyingWatch> fast = new ArrayList<>();
      for (int i = 0; i < FAST_STREAMS; i++) fast.add(target.openTallying(small));
      long heapBefore = usedHeapAfterGc();

      ByteString big = ByteString.copyFrom(new byte[BIG_VALUE_BYTES]);
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 0; i < ROUNDS; i++) {
        puts.add(target.putAsync(String.format("big/%05d", i), big));
        puts.add(target.putAsync(String.format("small/%05d", i), sendTime()));
        if (puts.size() >= IN_FLIGHT) {
          WatchTarget.await(Future.all(puts));
          puts.clear();
        }
      }
      WatchTarget.await(Future.all(puts));

      awaitFastStreams(fast);
      for (TallyingWatch w : fast) {
        assertFalse(w.outOfOrder(), "a fast stream saw revisions out of order");
        assertTrue(w.maxDelayMillis() < MAX_FAST_DELAY_MS, "a fast stream waited " + w.maxDelayMillis() + " ms for an event");
      }

      long growth = usedHeapAfterGc() - heapBefore;
      assertTrue(growth < BACKLOG_BYTES / 2,
          "the node's heap grew by " + growth + " bytes while one stream held back " + BACKLOG_BYTES + " bytes of events");

      stalled.resume();
      assertTrue(stalled.next().getCreated());
      assertExactlyOnceInOrder(stalled.events(0, 2 * ROUNDS, Duration.ofSeconds(60)));
    }
  }

  private static ByteString sendTime() {
    return ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(0, System.nanoTime()));
  }

  private static void awaitFastStreams(List<TallyingWatch> fast) {
    Wait.until(Duration.ofSeconds(30),
        () -> "every fast stream to get " + ROUNDS + " events: " + fast.stream().map(TallyingWatch::events).toList(),
        () -> fast.stream().allMatch(w -> w.events() >= ROUNDS));
    for (TallyingWatch w : fast) assertEquals(ROUNDS, w.events(), "a fast stream got events twice");
  }

  /** In-process node and test share the heap: the test's own readers keep nothing, so growth is the node's. */
  private static long usedHeapAfterGc() {
    System.gc();
    sleep(200); // let the collector's reference processing settle; not a wait for a condition
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Every key once, in revision order (the puts ran concurrently, so keys are not in revision order). */
  private static void assertExactlyOnceInOrder(List<Event> events) {
    assertEquals(2 * ROUNDS, events.size());
    Set<String> keys = new HashSet<>();
    long last = 0;
    for (Event e : events) {
      assertTrue(e.getKv().getModRevision() > last, "revisions out of order");
      last = e.getKv().getModRevision();
      keys.add(e.getKv().getKey().toStringUtf8());
    }
    assertEquals(2 * ROUNDS, keys.size());
  }
}
