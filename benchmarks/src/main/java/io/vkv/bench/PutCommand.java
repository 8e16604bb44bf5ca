package io.vkv.bench;

import com.google.protobuf.ByteString;
import io.vkv.client.KvClient;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "put", mixinStandardHelpOptions = true, description = "Write keys with Put (as etcd's `benchmark put`).")
final class PutCommand extends KvWorkloadCommand {
  @Option(names = "--key-space-size", description = "Distinct keys to write (default: ${DEFAULT-VALUE}).")
  long keySpaceSize = 1;

  @Option(names = "--sequential-keys", description = "Write keys 0, 1, 2, ... in turn instead of at random.")
  boolean sequential;

  @Override
  Function<KvClient, Workload> prepare(Main g) {
    Keys keys = new Keys(g.keySize, keySpaceSize, sequential);
    ByteString value = Keys.value(g.valSize);
    return kv -> Workloads.put(kv, keys, value);
  }
}
