package io.vkv.node.lock;

import com.google.protobuf.ByteString;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.v3lockpb.LockRequest;
import io.vkv.api.v3lockpb.LockResponse;
import io.vkv.api.v3lockpb.LockService;
import io.vkv.api.v3lockpb.UnlockRequest;
import io.vkv.api.v3lockpb.UnlockResponse;
import io.vkv.store.ApplyResult;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's v3lock service: a lock is the prefix {@code name/}; each holder-to-be puts {@code name/<lease hex>}
 * with its lease and owns the lock once every key of the prefix created before its own is gone. After waiting,
 * the key and its lease are checked again: if the lease expired meanwhile, the lock is not granted.
 */
public final class LockEndpoint extends LockService {
  private final Coordination co;
  private final Context context;

  public LockEndpoint(Coordination co, Context context) {
    this.co = co;
    this.context = context;
  }

  /** Lock, served with the call in hand: see {@link WaitingCalls}. */
  public void serveLock(GrpcServerRequest<LockRequest, LockResponse> call) {
    WaitingCalls.serve(call, context, this::lock);
  }

  /** Lock for a caller with no gRPC call in hand (the JSON gateway); {@code abandoned} completes if it goes away. */
  public Future<LockResponse> lock(LockRequest request, CompletableFuture<Void> abandoned, Context answerOn) {
    return GrpcFutures.on(lock(request, abandoned), answerOn);
  }

  private CompletableFuture<LockResponse> lock(LockRequest request, CompletableFuture<Void> abandoned) {
    return co.forCaller().thenCompose(co -> co.sessionLease(request.getLease())
        .thenCompose(lease -> lock(co, request.getName(), lease, abandoned)));
  }

  private CompletableFuture<LockResponse> lock(Coordination co, ByteString name, long lease, CompletableFuture<Void> abandoned) {
    ByteString prefix = name.concat(ByteString.copyFromUtf8("/"));
    ByteString key = prefix.concat(ByteString.copyFromUtf8(Long.toHexString(lease)));
    TxnRequest t = TxnRequest.newBuilder()
        .addCompare(Coordination.createRevisionIs(key, 0))
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setLease(lease)))
        .addSuccess(RequestOp.newBuilder().setRequestRange(Coordination.byCreate(prefix, true, 0)))
        .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)))
        .addFailure(RequestOp.newBuilder().setRequestRange(Coordination.byCreate(prefix, true, 0)))
        .build();
    return co.txn(t).thenCompose(resp -> {
      long myRev = resp.getSucceeded() ? resp.getHeader().getRevision()
          : resp.getResponses(0).getResponseRange().getKvs(0).getCreateRevision();
      var owner = resp.getResponses(1).getResponseRange();
      CompletableFuture<Void> turn = owner.getKvsCount() == 0 || owner.getKvs(0).getCreateRevision() == myRev
          ? CompletableFuture.completedFuture(null)
          : co.waitDeletes(prefix, myRev - 1, context);
      return WaitingCalls.unlessAbandoned(turn, abandoned).thenCompose(mine -> {
        if (!mine) return co.<LockResponse>giveUp(key);
        return co.stillHeld(key, lease).thenApply(held -> {
          if (!held) throw new CoordinationException(CoordinationException.SESSION_EXPIRED);
          return LockResponse.newBuilder().setHeader(co.currentHeader()).setKey(key).build();
        });
      });
    });
  }

  @Override
  public Future<UnlockResponse> unlock(UnlockRequest request) {
    CompletableFuture<UnlockResponse> done = co.forCaller().thenCompose(co -> co.delete(request.getKey()))
        .thenApply((ApplyResult r) -> {
          if (r.error() != null) throw r.error();
          return UnlockResponse.newBuilder().setHeader(co.header(r.revision())).build();
        });
    return GrpcFutures.on(done, context);
  }
}
