package io.vkv.bench;

import static io.vkv.bench.BenchOutput.assertUsageError;

import org.junit.jupiter.api.Test;

/** Bad watch flags stop before any connection is made: a message and exit code 2. */
class WatchArgumentsTest {
  @Test
  void watchFlags() {
    assertUsageError("--watchers must be >= 1", "watch", "--watchers", "0");
    assertUsageError("--streams must not exceed --watchers", "watch", "--watchers", "5", "--streams", "6");
    assertUsageError("--watched-keys must be >= 1", "watch", "--watched-keys", "0");
    assertUsageError("--puts must be >= 1", "watch", "--puts", "0");
    assertUsageError("--put-clients must be >= 1", "watch", "--put-clients", "0");
    assertUsageError("--put-rate must be >= 0", "watch", "--put-rate", "-1");
    assertUsageError("--streams-per-conn must be >= 1", "watch", "--streams-per-conn", "0");
    assertUsageError("Invalid value for option '--watchers'", "watch", "--watchers", "lots");
    assertUsageError("--val-size must be >= 8", "watch", "--val-size", "4");
    assertUsageError("too small for --key-space-size", "watch", "--key-size", "2", "--watched-keys", "1000");
    assertUsageError("instead of --total", "watch", "--total", "10");
    assertUsageError("instead of --total", "watch", "--clients", "8");
  }

  @Test
  void watchLatencyFlags() {
    assertUsageError("--put-rate must be > 0", "watch-latency", "--put-rate", "0");
    assertUsageError("Unknown options: '--watchers'", "watch-latency", "--watchers", "3");
  }
}
