package io.vkv.client;

import io.vertx.core.Future;
import io.vkv.api.etcdserverpb.Compare;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.etcdserverpb.TxnResponse;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A transaction under construction: {@code kv.txn().when(...).then(...).otherwise(...).commit()}. If every guard
 * holds the then-ops run, otherwise the else-ops, atomically at one revision. Not thread-safe; use once.
 */
public final class Txn {
  private final TxnRequest.Builder request = TxnRequest.newBuilder();
  private final Function<TxnRequest, Future<TxnResponse>> committer;

  Txn(Function<TxnRequest, Future<TxnResponse>> committer) {
    this.committer = committer;
  }

  public Txn when(Compare... guards) {
    request.addAllCompare(Arrays.asList(guards));
    return this;
  }

  public Txn then(RequestOp... ops) {
    request.addAllSuccess(Arrays.asList(ops));
    return this;
  }

  public Txn otherwise(RequestOp... ops) {
    request.addAllFailure(Arrays.asList(ops));
    return this;
  }

  /** The request as built so far, e.g. to nest with {@link Op#txn}. */
  public TxnRequest build() {
    return request.build();
  }

  public Future<TxnResponse> commit() {
    return committer.apply(request.build());
  }
}
