package io.vkv.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "lease-keepalive", mixinStandardHelpOptions = true,
    description = "Each client grants one lease, then renews it with LeaseKeepAlive on its own bidi stream, "
        + "sending the next request when the response arrives (as etcd's `benchmark lease-keepalive`).")
final class LeaseKeepAliveCommand extends WorkloadCommand {
  @Option(names = "--lease-ttl", description = "TTL of each granted lease, seconds (default: ${DEFAULT-VALUE}).")
  long ttlSeconds = 60;

  @Override
  Measurement measurement(Main global) {
    if (ttlSeconds < 1) throw new IllegalArgumentException("--lease-ttl must be >= 1");
    if (global.user != null) throw new IllegalArgumentException("lease-keepalive does not take --user (its streams send no token)");
    long ttl = ttlSeconds;
    return (settings, progress) -> LeaseRunner.run(settings, ttl, progress);
  }
}
