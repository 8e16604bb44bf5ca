package io.vkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A server that takes keep-alives and never answers: the client gives up on the stream and reports the lease lost. */
class KeepAliveSilentServerTest {

  @Test
  void unansweredKeepAlivesEndInADeadlineLostEvent() {
    try (FakeServer silent = new FakeServer(FakeServer.Mode.SILENT)) {
      VkvClient client = VkvClient.create(new VkvClientOptions().addEndpoint(silent.endpoint())
          .setCallTimeout(Duration.ofMillis(300)).setRetryBackoff(Duration.ofMillis(10)).setMaxRetryBackoff(Duration.ofMillis(50)));
      try {
        long start = System.nanoTime();
        LeaseKeepAlive keepAlive = client.lease().keepAlive(42);
        KeepAliveRecorder r = KeepAliveRecorder.of(keepAlive);
        LeaseLostException lost = r.awaitLost();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(LeaseLostException.Reason.DEADLINE_PASSED, lost.reason());
        assertEquals(42, lost.leaseId());
        // before the first answer the deadline is the call timeout plus a second
        assertTrue(tookMs >= 1_200 && tookMs < 10_000, "lost after " + tookMs + " ms");
        assertTrue(silent.calls.get() >= 2, "gave up on an unanswered stream and opened another: " + silent.calls.get());
        assertTrue(r.renewals.isEmpty());
      } finally {
        Await.result(client.close());
      }
    }
  }
}
