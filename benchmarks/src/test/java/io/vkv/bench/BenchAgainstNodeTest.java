package io.vkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Short real runs of every workload against an in-process vkv member on an ephemeral port. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchAgainstNodeTest {
  private static final Pattern JSON = Pattern.compile(
      "\\{\"workload\":\"([a-z-]+)\",\"ops\":(\\d+),\"errors\":(\\d+),\"duration_s\":[0-9.]+,\"ops_per_s\":[0-9.]+,"
          + "\"p50_ms\":[0-9.]+,\"p90_ms\":[0-9.]+,\"p99_ms\":[0-9.]+,\"p999_ms\":[0-9.]+,\"max_ms\":[0-9.]+,"
          + "\"client_cpu\":[0-9.]+,\"saturated\":(true|false)}");

  private static InProcessNode node;

  @BeforeAll
  static void start() throws Exception {
    node = InProcessNode.start("vkv-bench-test");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  /** Runs vkv-bench and returns its one stdout line, checked against the documented JSON shape. */
  private static Matcher run(String... args) {
    return node.run(JSON, "throughput", args);
  }

  @Test
  void putCountsEveryRequest() {
    Matcher m = run("put", "--total", "200", "--clients", "8", "--conns", "2", "--key-space-size", "50");
    assertEquals("put", m.group(1));
    assertEquals("200", m.group(2));
    assertEquals("0", m.group(3));
  }

  @Test
  void rangeBothConsistenciesAndPrefix() {
    run("put", "--total", "20", "--sequential-keys", "--key-space-size", "20");
    Matcher s = run("range", "--total", "200", "--clients", "16", "--consistency", "s");
    assertEquals("200", s.group(2));
    assertEquals("0", s.group(3));
    Matcher l = run("range", "--prefix", "000000", "--total", "100", "--clients", "4");
    assertEquals("100", l.group(2));
    assertEquals("0", l.group(3));
  }

  @Test
  void txnWorkloadsAndDurationAndRate(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
    Matcher put = run("txn-put", "--total", "100", "--clients", "4", "--txn-ops", "2", "--key-space-size", "100");
    assertEquals("100", put.group(2));
    assertEquals("0", put.group(3));
    Matcher mixed = run("txn-mixed", "--total", "100", "--clients", "4", "--rw-ratio", "3", "--key-space-size", "10");
    assertEquals("100", mixed.group(2));
    assertEquals("0", mixed.group(3));
    Path hdr = tmp.resolve("hist.txt");
    Matcher timed = run("range", "--duration", "500ms", "--rate", "200", "--clients", "2", "--hdr-out", hdr.toString());
    long ops = Long.parseLong(timed.group(2));
    assertTrue(ops > 0 && ops <= 150, "about 100 requests at 200/s for 0.5 s, got " + ops);
    assertTrue(Files.readString(hdr).contains("Total count"), "histogram file written");
  }
}
