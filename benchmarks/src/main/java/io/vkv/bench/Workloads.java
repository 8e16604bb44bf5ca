package io.vkv.bench;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.client.KvClient;
import java.util.function.LongFunction;

/** The request generators behind the subcommands; each builds protobuf messages directly to keep overhead low. */
final class Workloads {
  private Workloads() {
  }

  static Workload of(String name, LongFunction<Future<?>> issue) {
    return new Workload() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Future<?> issue(long op) {
        return issue.apply(op);
      }
    };
  }

  static Workload put(KvClient kv, Keys keys, ByteString value) {
    return of("put", op -> kv.put(PutRequest.newBuilder().setKey(keys.forOp(op)).setValue(value).build()));
  }

  /** The same range request every time: one key, or a prefix scan. */
  static Workload range(KvClient kv, RangeRequest request) {
    return of("range", op -> kv.range(request));
  }

  /** etcd's txn-put: a guard-less transaction of {@code ops} puts on distinct keys. */
  static Workload txnPut(KvClient kv, Keys keys, ByteString value, int ops) {
    return of("txn-put", op -> {
      TxnRequest.Builder txn = TxnRequest.newBuilder();
      for (int i = 0; i < ops; i++) {
        txn.addSuccess(RequestOp.newBuilder()
            .setRequestPut(PutRequest.newBuilder().setKey(keys.forOp(op * ops + i)).setValue(value)));
      }
      return kv.txn(txn.build());
    });
  }

  /**
   * etcd's txn-mixed: transactions that either read one key or write it; {@code readsPerWrite} sets the mix
   * (e.g. 3: three reads for every write), decided by the request number so the mix is exact.
   */
  static Workload txnMixed(KvClient kv, Keys keys, ByteString value, int readsPerWrite) {
    return of("txn-mixed", op -> {
      ByteString key = keys.forOp(op);
      RequestOp body = op % (readsPerWrite + 1) == readsPerWrite
          ? RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value)).build()
          : RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)).build();
      return kv.txn(TxnRequest.newBuilder().addSuccess(body).build());
    });
  }
}
