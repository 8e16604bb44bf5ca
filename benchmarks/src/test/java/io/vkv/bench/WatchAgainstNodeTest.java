package io.vkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Short real watch runs against an in-process vkv member on an ephemeral port. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WatchAgainstNodeTest {
  private static final Pattern JSON = Pattern.compile(
      "\\{\"workload\":\"(watch|watch-latency)\",\"ops\":(\\d+),\"errors\":(\\d+),\"duration_s\":[0-9.]+,"
          + "\"ops_per_s\":[0-9.]+,\"p50_ms\":[0-9.]+,\"p90_ms\":[0-9.]+,\"p99_ms\":[0-9.]+,\"p999_ms\":[0-9.]+,"
          + "\"max_ms\":([0-9.]+),\"client_cpu\":[0-9.]+,\"saturated\":(true|false),\"watchers\":(\\d+),"
          + "\"streams\":(\\d+),\"watched_keys\":\\d+,\"puts\":(\\d+),\"put_errors\":(\\d+),\"connections\":(\\d+),"
          + "\"create_s\":[0-9.]+,\"events_expected\":(\\d+),\"events_per_s\":[0-9.]+}");

  private static InProcessNode node;

  @BeforeAll
  static void start() throws Exception {
    node = InProcessNode.start("vkv-bench-watch-test");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  private static Matcher run(String... args) {
    return node.run(JSON, "events/s", args);
  }

  @Test
  void everyEventArrivesOnEveryStream() {
    // 100 watchers on 30 keys: keys 0-9 have 4 watchers, 10-29 have 3; 200 puts = 6 full rounds (600 events)
    // + keys 0-19 once more (10 * 4 + 10 * 3 = 70)
    Matcher m = run("watch", "--watchers", "100", "--streams", "10", "--watched-keys", "30", "--puts", "200",
        "--put-clients", "4", "--conns", "2", "--streams-per-conn", "4");
    assertEquals("watch", m.group(1));
    assertEquals("670", m.group(11), "events_expected");
    assertEquals("670", m.group(2), "every expected event received");
    assertEquals("0", m.group(3));
    assertEquals("100", m.group(6));
    assertEquals("10", m.group(7));
    assertEquals("200", m.group(8));
    assertEquals("0", m.group(9));
    assertEquals("3", m.group(10), "10 streams at most 4 per connection need 3 connections");
  }

  @Test
  void latencyWorkloadSeesEachPutOnce() {
    Matcher m = run("watch-latency", "--puts", "50", "--put-rate", "500");
    assertEquals("watch-latency", m.group(1));
    assertEquals("50", m.group(2));
    assertEquals("0", m.group(3));
    assertEquals("50", m.group(11));
    assertTrue(Double.parseDouble(m.group(4)) > 0, "latencies recorded");
  }
}
