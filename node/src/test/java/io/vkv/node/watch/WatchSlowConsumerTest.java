package io.vkv.node.watch;

import static io.vkv.node.watch.WatchTarget.bs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vkv.api.etcdserverpb.WatchCreateRequest;
import io.vkv.api.mvccpb.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A stream that stops reading must not hold back the others, and later gets everything exactly once. */
@Timeout(90)
class WatchSlowConsumerTest {
  private static final int WRITES = 3000;
  private static final int FAST_STREAMS = 20;

  @TempDir Path dir;

  @Test
  void stalledStreamDoesNotDelayTheOthers() {
    try (WatchTarget target = WatchTarget.start(dir.resolve("data"))) {
      var create = WatchTestClient.createRequest(WatchCreateRequest.newBuilder().setKey(bs("burst/")).setRangeEnd(bs("burst0")));
      WatchTestClient stalled = target.openPaused(create);
      List<WatchTestClient> fast = new ArrayList<>();
      for (int i = 0; i < FAST_STREAMS; i++) {
        WatchTestClient s = target.open(create);
        assertTrue(s.next().getCreated());
        fast.add(s);
      }
      // 3000 writes of 1 KB: ~3 MB per stream, far past HTTP/2 windows, so the stalled stream backs up
      String value = "x".repeat(1000);
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 0; i < WRITES; i++) {
        puts.add(target.putAsync(String.format("burst/%05d", i), value));
        if (puts.size() == 256) {
          WatchTarget.await(Future.all(puts));
          puts.clear();
        }
      }
      WatchTarget.await(Future.all(puts));

      for (WatchTestClient s : fast) assertInOrder(s.events(0, WRITES, Duration.ofSeconds(30)));

      stalled.resume();
      assertTrue(stalled.next().getCreated());
      assertInOrder(stalled.events(0, WRITES, Duration.ofSeconds(30)));
    }
  }

  /** Every key once, in revision order (the puts ran concurrently, so keys are not in revision order). */
  private static void assertInOrder(List<Event> events) {
    assertEquals(WRITES, events.size());
    java.util.Set<String> keys = new java.util.HashSet<>();
    long last = 0;
    for (Event e : events) {
      assertTrue(e.getKv().getModRevision() > last, "revisions out of order");
      last = e.getKv().getModRevision();
      keys.add(e.getKv().getKey().toStringUtf8());
    }
    assertEquals(WRITES, keys.size());
  }
}
