package io.vkv.bench;

import java.time.Duration;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Watch fan-out: W watchers on S streams, then puts on the watched keys; counts every event "
        + "and measures put-to-event latency.")
final class WatchCommand extends WatchWorkloadCommand {
  @Option(names = "--watchers", description = "Watchers in all (default: ${DEFAULT-VALUE}).")
  int watchers = 1000;

  @Option(names = "--streams", description = "gRPC Watch streams the watchers are spread over (default: ${DEFAULT-VALUE}).")
  int streams = 10;

  @Option(names = "--watched-keys", description = "Keys watched; watcher i watches key i mod this (default: ${DEFAULT-VALUE}).")
  int watchedKeys = 100;

  @Option(names = "--puts", description = "Puts on the watched keys, round-robin (default: ${DEFAULT-VALUE}).")
  long puts = 1000;

  @Option(names = "--put-clients", description = "Puts in flight (default: ${DEFAULT-VALUE}).")
  int putClients = 16;

  @Option(names = "--put-rate", description = "Puts per second; 0: as fast as possible (default).")
  double putRate;

  @Option(names = "--streams-per-conn", description = "At most this many streams per connection; more connections "
      + "are opened beyond --conns when needed (default: ${DEFAULT-VALUE}, the stream limit of Vert.x servers, vkv "
      + "included; etcd allows 2^32-1).")
  int streamsPerConn = 100;

  @Option(names = "--idle-after-create", converter = DurationConverter.class,
      description = "Wait this long between the last created watcher and the first put, e.g. to read the server's "
          + "memory with idle watchers (default: 0).")
  Duration idleAfterCreate = Duration.ZERO;

  @Override
  WatchPlan plan() {
    return new WatchPlan("watch", watchers, streams, watchedKeys, puts, putClients, putRate, streamsPerConn,
        idleAfterCreate);
  }
}
