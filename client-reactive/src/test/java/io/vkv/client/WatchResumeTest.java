package io.vkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A watch outlives its server: stopped and restarted on the same data directory and ports. */
class WatchResumeTest {

  /** Puts until one is acknowledged (the restarted member may still be electing itself); its revision. */
  private static long put(KvClient kv, String key) {
    return Wait.untilReturns(Duration.ofSeconds(20), "a put of " + key + " acknowledged",
        () -> Await.result(kv.put(key, "v")).getHeader().getRevision());
  }

  @Test
  void resumesFromTheLastRevisionReceivedWithNoGapAndNoDuplicate() throws Exception {
    try (NodeFixture server = new NodeFixture(true, UnaryOperator.identity())) {
      VkvClientOptions options = new VkvClientOptions().addEndpoint(server.endpoint())
          .setRetryBackoff(Duration.ofMillis(20)).setMaxRetryBackoff(Duration.ofMillis(300));
      VkvClient client = VkvClient.create(options);
      try {
        WatchImpl watch = (WatchImpl) client.watch().watch("r/", new WatchOptions().prefix());
        WatchRecorder r = WatchRecorder.of(watch);
        long start = Await.result(watch.created());
        List<Long> acknowledged = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
          for (int i = 0; i < 40; i++) acknowledged.add(put(client.kv(), "r/" + round + "/" + i));
          // stopped while events may still be on their way; the writes after the restart happen while the
          // watch is still backing off, so they come back from the store's history
          server.stop();
          server.start();
        }
        for (int i = 0; i < 40; i++) acknowledged.add(put(client.kv(), "r/last/" + i));
        long last = acknowledged.get(acknowledged.size() - 1);
        Wait.until(Duration.ofSeconds(20), () -> "events up to " + last + ", got " + r.revisions(),
            () -> !r.revisions().isEmpty() && r.revisions().get(r.revisions().size() - 1) >= last);

        List<Long> got = r.revisions();
        // only this test writes to this member, so the watched revisions are exactly start+1 .. last
        for (int i = 0; i < got.size(); i++) assertEquals(start + 1 + i, got.get(i), "revision #" + i + " in " + got);
        assertEquals(last, got.get(got.size() - 1));
        assertTrue(got.containsAll(acknowledged));
        assertTrue(watch.streamsOpened() >= 4, "reconnected after each restart: " + watch.streamsOpened());
        assertNull(r.error.get());
      } finally {
        Await.result(client.close());
      }
    }
  }
}
