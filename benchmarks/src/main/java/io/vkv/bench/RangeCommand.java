package io.vkv.bench;

import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.client.Bytes;
import io.vkv.client.GetOptions;
import io.vkv.client.KvClient;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "range", mixinStandardHelpOptions = true,
    description = "Read one key, or every key under a prefix, with Range (as etcd's `benchmark range`).")
final class RangeCommand extends KvWorkloadCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "KEY",
      description = "The key (or prefix) to read (default: the first key `put` writes, with --key-size zeros).")
  String key;

  @Option(names = "--prefix", description = "Read every key that starts with KEY.")
  boolean prefix;

  @Option(names = "--consistency", description = "l: linearizable (default), s: serializable.")
  String consistency = "l";

  @Option(names = "--limit", description = "At most this many keys per request; 0: all (default).")
  long limit;

  @Override
  Function<KvClient, Workload> prepare(Main g) {
    if (!consistency.equals("l") && !consistency.equals("s")) {
      throw new IllegalArgumentException("--consistency must be l or s, not '" + consistency + "'");
    }
    if (limit < 0) throw new IllegalArgumentException("--limit must be >= 0");
    String k = key != null ? key : "0".repeat(g.keySize);
    GetOptions options = new GetOptions().limit(limit);
    if (prefix) options.prefix();
    if (consistency.equals("s")) options.serializable();
    RangeRequest request = options.toRequest(Bytes.of(k));
    return kv -> Workloads.range(kv, request);
  }
}
