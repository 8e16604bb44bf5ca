package io.vkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.NodeConfig;
import io.vkv.node.VkvNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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

  private static Path dir;
  private static VkvNode node;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("vkv-bench-watch-test");
    node = VkvNode.start(NodeConfig.singleMember(dir, 0, 0)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (node != null) node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // best effort: the OS cleans the temp dir eventually
      }
    }
  }

  private static Matcher run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] full = new String[args.length + 2];
    full[0] = "--endpoints";
    full[1] = node.endpoints();
    System.arraycopy(args, 0, full, 2, args.length);
    int code = Main.run(full, new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(0, code, err.toString());
    String[] lines = out.toString().strip().split("\n");
    assertEquals(1, lines.length, "exactly one JSON line on stdout: " + out);
    Matcher m = JSON.matcher(lines[0]);
    assertTrue(m.matches(), lines[0]);
    assertTrue(err.toString().contains("events/s"), "human summary on stderr: " + err);
    return m;
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
