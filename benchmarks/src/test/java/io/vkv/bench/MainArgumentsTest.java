package io.vkv.bench;

import static io.vkv.bench.BenchOutput.assertUsageError;

import org.junit.jupiter.api.Test;

/** Bad flags stop before any connection is made: picocli's message and exit code 2. */
class MainArgumentsTest {
  @Test
  void unknownOptionsAndWorkloads() {
    assertUsageError("Unknown option: '--bogus'", "put", "--bogus");
    assertUsageError("Missing workload");
    assertUsageError("Unmatched argument", "nosuch");
  }

  @Test
  void badValues() {
    assertUsageError("Invalid value for option '--clients'", "put", "--clients", "many");
    assertUsageError("--clients must be >= 1", "put", "--clients", "0");
    assertUsageError("--total or --duration, not both", "put", "--total", "5", "--duration", "1s");
    assertUsageError("is not a duration", "put", "--duration", "soon");
    assertUsageError("--consistency must be l or s", "range", "--consistency", "x");
    assertUsageError("is not host:port", "range", "--endpoints", "nohost");
    assertUsageError("--key-size 2 is too small for --key-space-size 1000", "put", "--key-size", "2", "--key-space-size", "1000");
    assertUsageError("--txn-ops must not exceed", "txn-put", "--txn-ops", "3");
  }

  @Test
  void boundsOfEveryGlobalFlag() {
    assertUsageError("--total must be >= 1", "put", "--total", "0");
    assertUsageError("--duration must be > 0", "put", "--duration", "0s");
    assertUsageError("--rate must be >= 0", "put", "--rate", "-5");
    assertUsageError("--key-size must be >= 1", "put", "--key-size", "0");
    assertUsageError("--val-size must be >= 0", "put", "--val-size", "-1");
    assertUsageError("--event-loops must be >= 1", "put", "--event-loops", "0");
    assertUsageError("--timeout must be >= 0", "put", "--timeout", "-1s");
    assertUsageError("is not host:port", "put", "--endpoints", "");
  }

  @Test
  void outputFilesAreCheckedBeforeTheRun() {
    assertUsageError("--plot writes a PNG", "put", "--plot", "chart.svg");
    assertUsageError("--plot: directory", "put", "--plot", "/nonexistent-dir/chart.png");
    assertUsageError("--hdr-out: directory", "put", "--hdr-out", "/nonexistent-dir/run.hdr");
    assertUsageError("is a directory", "put", "--hdr-out", System.getProperty("java.io.tmpdir"));
  }

  @Test
  void leaseKeepAliveFlags() {
    assertUsageError("--lease-ttl must be >= 1", "lease-keepalive", "--lease-ttl", "0");
    assertUsageError("--clients must be >= 1", "lease-keepalive", "--clients", "0");
    assertUsageError("--total or --duration, not both", "lease-keepalive", "--total", "5", "--duration", "1s");
    assertUsageError("Unknown options: '--key-space-size'", "lease-keepalive", "--key-space-size", "5");
  }

  @Test
  void globalFlagsWorkBeforeOrAfterTheWorkload() {
    assertUsageError("--conns must be >= 1", "--conns", "0", "put");
    assertUsageError("--conns must be >= 1", "put", "--conns", "0");
  }
}
