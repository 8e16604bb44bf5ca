package io.vkv.node.lock;

import com.google.protobuf.ByteString;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.streams.WriteStream;
import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.DeleteRangeRequest;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.mvccpb.KeyValue;
import io.vkv.api.v3electionpb.CampaignRequest;
import io.vkv.api.v3electionpb.CampaignResponse;
import io.vkv.api.v3electionpb.ElectionService;
import io.vkv.api.v3electionpb.LeaderKey;
import io.vkv.api.v3electionpb.LeaderRequest;
import io.vkv.api.v3electionpb.LeaderResponse;
import io.vkv.api.v3electionpb.ProclaimRequest;
import io.vkv.api.v3electionpb.ProclaimResponse;
import io.vkv.api.v3electionpb.ResignRequest;
import io.vkv.api.v3electionpb.ResignResponse;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's v3election service: candidates put {@code name/<lease hex>} with their value; the key created first is
 * the leader. Campaign returns once every older candidate is gone and the candidate's key and lease still live.
 */
public final class ElectionEndpoint extends ElectionService {
  private final Coordination co;
  private final Context context;

  public ElectionEndpoint(Coordination co, Context context) {
    this.co = co;
    this.context = context;
  }

  private static ByteString prefix(ByteString name) {
    return name.concat(ByteString.copyFromUtf8("/"));
  }

  /** Campaign, served with the call in hand: a candidate who gives up while waiting withdraws (see {@link WaitingCalls}). */
  public void serveCampaign(GrpcServerRequest<CampaignRequest, CampaignResponse> call) {
    WaitingCalls.serve(call, context, this::campaign);
  }

  /** Campaign for a caller with no gRPC call in hand (the JSON gateway); {@code abandoned} completes if it goes away. */
  public Future<CampaignResponse> campaign(CampaignRequest request, CompletableFuture<Void> abandoned, Context answerOn) {
    return GrpcFutures.on(campaign(request, abandoned), answerOn);
  }

  private CompletableFuture<CampaignResponse> campaign(CampaignRequest request, CompletableFuture<Void> abandoned) {
    return co.forCaller().thenCompose(co -> co.sessionLease(request.getLease())
        .thenCompose(lease -> campaign(co, request, lease, abandoned)));
  }

  private CompletableFuture<CampaignResponse> campaign(Coordination co, CampaignRequest request, long lease,
      CompletableFuture<Void> abandoned) {
    ByteString prefix = prefix(request.getName());
    ByteString key = prefix.concat(ByteString.copyFromUtf8(Long.toHexString(lease)));
    TxnRequest t = TxnRequest.newBuilder()
        .addCompare(Coordination.createRevisionIs(key, 0))
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(request.getValue()).setLease(lease)))
        .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)))
        .build();
    return co.txn(t).thenCompose(resp -> {
      LeaderKey.Builder leader = LeaderKey.newBuilder().setName(request.getName()).setKey(key).setLease(lease)
          .setRev(resp.getHeader().getRevision());
      CompletableFuture<?> ready = CompletableFuture.completedFuture(null);
      if (!resp.getSucceeded()) {
        KeyValue existing = resp.getResponses(0).getResponseRange().getKvs(0);
        leader.setRev(existing.getCreateRevision());
        if (!existing.getValue().equals(request.getValue())) ready = proclaim(co, leader.build(), request.getValue());
      }
      CompletableFuture<?> turn = ready.thenCompose(v -> co.waitDeletes(prefix, leader.getRev() - 1, context));
      return WaitingCalls.unlessAbandoned(turn, abandoned).thenCompose(mine -> {
        if (!mine) return co.<CampaignResponse>giveUp(key); // as etcd's Election: resign
        return co.stillHeld(key, lease).thenApply(held -> {
          if (!held) throw new CoordinationException(CoordinationException.SESSION_EXPIRED);
          return CampaignResponse.newBuilder().setHeader(co.currentHeader()).setLeader(leader).build();
        });
      });
    });
  }

  @Override
  public Future<ProclaimResponse> proclaim(ProclaimRequest request) {
    if (!request.hasLeader()) return Future.failedFuture(missingLeader());
    return GrpcFutures.on(co.forCaller().thenCompose(co -> proclaim(co, request.getLeader(), request.getValue()))
        .thenApply(h -> ProclaimResponse.newBuilder().setHeader(co.currentHeader()).build()), context);
  }

  /** Puts the new value only while the leader key is the one this leader created (keeping its lease). */
  private CompletableFuture<Void> proclaim(Coordination co, LeaderKey leader, ByteString value) {
    TxnRequest t = TxnRequest.newBuilder()
        .addCompare(Coordination.createRevisionIs(leader.getKey(), leader.getRev()))
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(leader.getKey()).setValue(value).setIgnoreLease(true)))
        .build();
    return co.txn(t).thenAccept(r -> {
      if (!r.getSucceeded()) throw new CoordinationException(CoordinationException.NOT_LEADER);
    });
  }

  @Override
  public Future<ResignResponse> resign(ResignRequest request) {
    if (!request.hasLeader()) return Future.failedFuture(missingLeader());
    LeaderKey leader = request.getLeader();
    // etcd's resign deletes the key in a txn, which refuses an empty one (answered as UNKNOWN, like its other errors)
    if (leader.getKey().isEmpty()) return Future.failedFuture(GrpcFutures.toStatus(EtcdError.EMPTY_KEY.exception()));
    TxnRequest t = TxnRequest.newBuilder()
        .addCompare(Coordination.createRevisionIs(leader.getKey(), leader.getRev()))
        .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(leader.getKey())))
        .build();
    return GrpcFutures.on(co.forCaller().thenCompose(co -> co.txn(t)).thenApply(r ->
        ResignResponse.newBuilder().setHeader(co.header(r.getHeader().getRevision())).build()), context);
  }

  @Override
  public Future<LeaderResponse> leader(LeaderRequest request) {
    return GrpcFutures.on(co.forCaller().thenCompose(co -> co.read(Coordination.byCreate(prefix(request.getName()), true, 0))).thenApply(r -> {
      if (r.getKvsCount() == 0) throw new CoordinationException(CoordinationException.NO_LEADER);
      return LeaderResponse.newBuilder().setHeader(co.header(r.getHeader().getRevision()))
          .setKv(r.getKvs(0)).build();
    }), context);
  }

  /**
   * Streams the leader: the current one (once there is one), then every change of its value and every new leader.
   * Ends when the client goes away.
   */
  @Override
  public void observe(LeaderRequest request, WriteStream<LeaderResponse> out) { // public: the JSON gateway streams it too
    Context ctx = Vertx.currentContext();
    ByteString prefix = prefix(request.getName());
    Coordination co;
    try {
      co = this.co.forCaller().join(); // already complete: resolving the caller does not wait
    } catch (java.util.concurrent.CompletionException e) {
      io.vkv.node.wire.StreamErrors.fail(out, (io.vertx.grpc.server.StatusException) GrpcFutures.toStatus(e));
      return;
    }
    KeyValue[] last = {null};
    boolean[] closed = {false};
    KeyEvents.Subscription[] sub = {null};
    Runnable check = () -> co.read(Coordination.byCreate(prefix, true, 0)).whenComplete((r, e) -> ctx.runOnContext(v -> {
      if (closed[0]) return;
      if (e != null) {
        // as etcd's Observe: a failed read ends the stream with its error (waiting for the next change could be forever)
        closed[0] = true;
        if (sub[0] != null) sub[0].cancel();
        io.vkv.node.wire.StreamErrors.fail(out, (io.vertx.grpc.server.StatusException) GrpcFutures.toStatus(e));
        return;
      }
      if (r.getKvsCount() == 0) return;
      KeyValue kv = r.getKvs(0);
      if (last[0] != null && last[0].getKey().equals(kv.getKey()) && last[0].getModRevision() == kv.getModRevision()) return;
      last[0] = kv;
      out.write(LeaderResponse.newBuilder().setHeader(co.header(r.getHeader().getRevision())).setKv(kv).build());
    }));
    sub[0] = co.events().subscribe(prefix, ctx, check);
    // a client that cancels the stream resets it, which the response reports as an exception
    out.exceptionHandler(e -> {
      closed[0] = true;
      sub[0].cancel();
    });
    check.run();
  }

  private static Throwable missingLeader() {
    return new io.vertx.grpc.server.StatusException(io.vertx.grpc.common.GrpcStatus.UNKNOWN,
        CoordinationException.MISSING_LEADER_KEY);
  }
}
