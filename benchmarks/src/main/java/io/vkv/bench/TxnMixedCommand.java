package io.vkv.bench;

import com.google.protobuf.ByteString;
import io.vkv.client.KvClient;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "txn-mixed", mixinStandardHelpOptions = true,
    description = "Txn requests that read or write one random key, --rw-ratio reads per write (as etcd's `benchmark txn-mixed`).")
final class TxnMixedCommand extends KvWorkloadCommand {
  @Option(names = "--key-space-size", description = "Distinct keys (default: ${DEFAULT-VALUE}).")
  long keySpaceSize = 1;

  @Option(names = "--rw-ratio", description = "Read transactions per write transaction (default: ${DEFAULT-VALUE}).")
  int rwRatio = 1;

  @Override
  Function<KvClient, Workload> prepare(Main g) {
    if (rwRatio < 0) throw new IllegalArgumentException("--rw-ratio must be >= 0");
    Keys keys = new Keys(g.keySize, keySpaceSize, false);
    ByteString value = Keys.value(g.valSize);
    return kv -> Workloads.txnMixed(kv, keys, value, rwRatio);
  }
}
