package io.vkv.bench;

import io.vkv.client.KvClient;
import java.util.function.Function;

/** A workload of unary KV requests, run by {@link Runner} through the reactive client. */
abstract class KvWorkloadCommand extends WorkloadCommand {
  /** Checks this workload's flags and returns how to build it; throws IllegalArgumentException on bad flags. */
  abstract Function<KvClient, Workload> prepare(Main global);

  @Override
  final Measurement measurement(Main global) {
    Function<KvClient, Workload> workload = prepare(global);
    return (settings, progress) -> Runner.run(settings, workload, progress);
  }
}
