package io.vkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vkv.node.testing.Wait;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A watch the application does not read holds back its own stream, not the client's heap nor other watches. */
class WatchBackpressureTest {
  private static final int VALUE_BYTES = 100 * 1024;
  private static final int PUTS = 200; // 20 MB of values
  private static final int IN_FLIGHT = 8;

  /** The lower of two readings after a full GC: less noise from what the node frees in the background. */
  private static long usedHeapAfterGc(MemoryMXBean memory) {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < 2; i++) {
      System.gc();
      min = Math.min(min, memory.getHeapMemoryUsage().getUsed());
    }
    return min;
  }

  /** Keeps only revisions: the values (20 MB) must not stay reachable from the test. */
  private static final class Revisions {
    final List<Long> seen = new CopyOnWriteArrayList<>();

    Revisions(Watch w) {
      w.handler(b -> b.events().forEach(e -> seen.add(e.getKv().getModRevision())));
    }

    void await(int n) {
      Wait.until(Duration.ofSeconds(20), () -> n + " events, got " + seen.size(), () -> seen.size() >= n);
    }
  }

  @Test
  void aPausedWatchStopsReadingWhileTwentyMegabytesFlow() throws Exception {
    try (NodeFixture server = new NodeFixture()) {
      VkvClient client = VkvClient.create(new VkvClientOptions().addEndpoint(server.endpoint()));
      try {
        WatchImpl slow = (WatchImpl) client.watch().watch("bp/", new WatchOptions().prefix());
        slow.pause();
        Revisions slowSeen = new Revisions(slow);
        WatchImpl fast = (WatchImpl) client.watch().watch("bp/", new WatchOptions().prefix());
        Revisions fastSeen = new Revisions(fast);
        long start = Await.result(slow.created());
        Await.result(fast.created());

        String value = "v".repeat(VALUE_BYTES);
        long maxBuffered = 0;
        for (int i = 0; i < PUTS; i += IN_FLIGHT) {
          List<Future<?>> batch = new ArrayList<>();
          for (int j = i; j < i + IN_FLIGHT; j++) batch.add(client.kv().put("bp/" + j, value));
          Await.result(Future.all(batch));
          if (i == 0) slow.fetch(3); // a few batches taken, then nothing more asked for
          maxBuffered = Math.max(maxBuffered, slow.bufferedBytes());
        }
        fastSeen.await(PUTS);
        Wait.until(Duration.ofSeconds(20), "the first three batches", () -> slow.receivedBytes() > 0);
        long received = slow.receivedBytes();
        int delivered = slowSeen.seen.size();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long heapPaused = usedHeapAfterGc(memory);

        // resumed, it gets the rest: the server parked it and catches it up from the store
        slow.resume();
        slowSeen.await(PUTS);
        long heapDrained = usedHeapAfterGc(memory);
        // for information only: the node shares this JVM and holds up to ~10 MB for a stalled stream (its 4 MiB
        // budget as messages and as encoded frames, plus 1 MiB parked), so heap is too noisy to assert on; the
        // client's own bound is its counters above plus Vert.x gRPC's 16-message inbound queue
        System.out.printf("paused watch: read %d B of 20 MB, peak undelivered %d B; heap held while paused"
            + " (client + node buffers of that stream) %d B%n", received, slow.peakBufferedBytes(), heapPaused - heapDrained);

        // the paused watch read a few batches' worth; the other watch on the same connection got everything
        assertTrue(received < 4 * 1024 * 1024, "read " + received + " B off a paused stream");
        assertTrue(delivered < PUTS / 4, "delivered " + delivered + " events without demand");
        assertTrue(slow.peakBufferedBytes() < 2 * 1024 * 1024, "peak undelivered " + slow.peakBufferedBytes());
        assertTrue(maxBuffered < 2 * 1024 * 1024, "undelivered " + maxBuffered);

        List<Long> revisions = slowSeen.seen;
        assertEquals(PUTS, revisions.size());
        for (int i = 0; i < PUTS; i++) assertEquals(start + 1 + i, revisions.get(i));
        assertEquals(fastSeen.seen, revisions);
      } finally {
        Await.result(client.close());
      }
    }
  }
}
