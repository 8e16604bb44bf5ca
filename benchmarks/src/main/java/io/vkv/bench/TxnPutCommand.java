package io.vkv.bench;

import com.google.protobuf.ByteString;
import io.vkv.client.KvClient;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "txn-put", mixinStandardHelpOptions = true,
    description = "Write keys with guard-less Txn requests of --txn-ops puts each (as etcd's `benchmark txn-put`).")
final class TxnPutCommand extends KvWorkloadCommand {
  @Option(names = "--key-space-size", description = "Distinct keys to write (default: ${DEFAULT-VALUE}).")
  long keySpaceSize = 1;

  @Option(names = "--txn-ops", description = "Puts per transaction, on distinct keys (default: ${DEFAULT-VALUE}).")
  int txnOps = 1;

  @Override
  Function<KvClient, Workload> prepare(Main g) {
    if (txnOps < 1) throw new IllegalArgumentException("--txn-ops must be >= 1");
    if (txnOps > keySpaceSize) throw new IllegalArgumentException("--txn-ops must not exceed --key-space-size (keys must be distinct)");
    Keys keys = new Keys(g.keySize, keySpaceSize, true);
    ByteString value = Keys.value(g.valSize);
    return kv -> Workloads.txnPut(kv, keys, value, txnOps);
  }
}
