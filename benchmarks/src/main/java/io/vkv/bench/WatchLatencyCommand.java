package io.vkv.bench;

import java.time.Duration;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "watch-latency", mixinStandardHelpOptions = true,
    description = "One watcher on one stream, puts at a fixed rate: the put-to-event latency distribution.")
final class WatchLatencyCommand extends WatchWorkloadCommand {
  @Option(names = "--puts", description = "Puts on the watched key (default: ${DEFAULT-VALUE}).")
  long puts = 1000;

  @Option(names = "--put-rate", description = "Puts per second, one at a time (default: ${DEFAULT-VALUE}).")
  double putRate = 100;

  @Override
  WatchPlan plan() {
    if (putRate <= 0) throw new IllegalArgumentException("--put-rate must be > 0");
    return new WatchPlan("watch-latency", 1, 1, 1, puts, 1, putRate, 1, Duration.ZERO);
  }
}
