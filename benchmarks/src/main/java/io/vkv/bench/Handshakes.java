package io.vkv.bench;

import io.vertx.core.Future;
import io.vkv.client.VkvClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * With TLS on, completes every connection's handshake before the measured window opens. The client dials lazily, so
 * the first requests would otherwise carry the JVM's first TLS set-up (seconds on a busy machine) and one handshake
 * per connection; a plain-text run pays only a TCP connect there, which is next to nothing, so this keeps plain and
 * TLS runs comparable. Plain-text runs are left exactly as they were.
 */
final class Handshakes {
  private static final Duration LIMIT_WITHOUT_TIMEOUT = Duration.ofSeconds(30);

  private Handshakes() {
  }

  /**
   * Sends one unmeasured Status call over each of the client's {@code connsPerEndpoint} connections to each endpoint
   * and waits for all of them (bounded by --timeout); their outcome does not matter, a failure shows in the run.
   */
  static void completeBeforeMeasuring(VkvClient client, Settings s, int connsPerEndpoint) throws Exception {
    if (s.tls() == null) return;
    Duration limit = s.timeout().isZero() ? LIMIT_WITHOUT_TIMEOUT : s.timeout();
    // the first call also fetches the auth token (--user), so the calls below go out in order, one per connection
    RunSupport.await(client.maintenance().status().otherwiseEmpty(), limit);
    List<Future<?>> calls = new ArrayList<>();
    for (String endpoint : s.endpoints()) {
      // channels are taken round-robin: connsPerEndpoint calls in a row to one endpoint use every channel once
      for (int c = 0; c < connsPerEndpoint; c++) calls.add(client.maintenance().status(endpoint));
    }
    RunSupport.await(Future.join(calls).otherwiseEmpty(), limit);
  }
}
