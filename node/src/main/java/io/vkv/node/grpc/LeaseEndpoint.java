package io.vkv.node.grpc;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.common.GrpcReadStream;
import io.vertx.grpc.server.StatusException;
import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.LeaseGrantRequest;
import io.vkv.api.etcdserverpb.LeaseGrantResponse;
import io.vkv.api.etcdserverpb.LeaseKeepAliveRequest;
import io.vkv.api.etcdserverpb.LeaseKeepAliveResponse;
import io.vkv.api.etcdserverpb.LeaseLeasesRequest;
import io.vkv.api.etcdserverpb.LeaseLeasesResponse;
import io.vkv.api.etcdserverpb.LeaseRevokeRequest;
import io.vkv.api.etcdserverpb.LeaseRevokeResponse;
import io.vkv.api.etcdserverpb.LeaseService;
import io.vkv.api.etcdserverpb.LeaseStatus;
import io.vkv.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.vkv.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.vkv.api.internal.InternalRequest;
import io.vkv.api.mvccpb.KeyValue;
import io.vkv.node.lease.LeaseRuntime;
import io.vkv.node.lease.LeaseSettings;
import io.vkv.store.ApplyResult;
import io.vkv.store.LeaseRecord;

/**
 * etcd's Lease service. Grant and revoke are writes through Raft (on any member); keep-alive and time-to-live
 * are answered by the leader's lessor, forwarded there by a follower; the lease list is read from the store.
 */
public final class LeaseEndpoint extends LeaseService {
  private final ServerContext server;
  private final LeaseRuntime leases;
  private final Context context;

  public LeaseEndpoint(ServerContext server, Context context) {
    this.server = server;
    this.leases = server.leases();
    this.context = context;
  }

  @Override
  public Future<LeaseGrantResponse> leaseGrant(LeaseGrantRequest request) {
    if (request.getTTL() > LeaseSettings.MAX_TTL_SECONDS) {
      return Future.failedFuture(GrpcErrors.toStatus(EtcdError.LEASE_TTL_TOO_LARGE.exception()));
    }
    // the entry carries the final id and TTL, so that applying it needs neither a clock nor configuration
    LeaseGrantRequest entry = LeaseGrantRequest.newBuilder()
        .setID(request.getID() != 0 ? request.getID() : leases.newId())
        .setTTL(Math.max(request.getTTL(), leases.minTtl()))
        .build();
    return SpaceQuota.check(server, SpaceQuota.leaseCost(), context)
        .compose(ok -> write(InternalRequest.newBuilder().setLeaseGrant(entry))).map(r -> {
      LeaseGrantResponse g = (LeaseGrantResponse) r.response();
      return g.toBuilder().setHeader(server.header(g.getHeader().getRevision())).build();
    });
  }

  @Override
  public Future<LeaseRevokeResponse> leaseRevoke(LeaseRevokeRequest request) {
    return write(InternalRequest.newBuilder().setLeaseRevoke(request))
        .map(r -> LeaseRevokeResponse.newBuilder().setHeader(server.header(r.revision())).build());
  }

  @Override
  public Future<LeaseTimeToLiveResponse> leaseTimeToLive(LeaseTimeToLiveRequest request) {
    return Future.fromCompletionStage(leases.leader().timeToLive(request.getID()), context).transform(ar -> {
      if (ar.failed()) return Future.failedFuture(GrpcErrors.toStatus(ar.cause()));
      LeaseTimeToLiveResponse.Builder out = LeaseTimeToLiveResponse.newBuilder()
          .setHeader(server.currentHeader()).setID(request.getID());
      if (!ar.result().found()) return Future.succeededFuture(out.setTTL(-1).build()); // etcd: -1, no error
      out.setTTL(ar.result().ttl()).setGrantedTTL(ar.result().grantedTtl());
      if (request.getKeys()) {
        for (KeyValue kv : server.store().keysWithLease(request.getID())) out.addKeys(kv.getKey());
      }
      return Future.succeededFuture(out.build());
    });
  }

  @Override
  public Future<LeaseLeasesResponse> leaseLeases(LeaseLeasesRequest request) {
    LeaseLeasesResponse.Builder out = LeaseLeasesResponse.newBuilder().setHeader(server.currentHeader());
    for (LeaseRecord r : server.store().leases()) out.addLeases(LeaseStatus.newBuilder().setID(r.id()));
    return Future.succeededFuture(out.build());
  }

  /**
   * One keep-alive stream: each request renews its lease and is answered with the TTL granted again, or TTL 0
   * if the lease does not exist or has expired (etcd's answer; clients report "expired or revoked"). Without a
   * leader the stream ends with etcd's error, as etcd's does. A client that sends its requests and then closes its
   * side gets every answer before the stream ends: a renewal waits for a ReadIndex round, so the end usually arrives
   * first (etcd answers each request before it reads the next, so it never loses one that way).
   */
  @Override
  public void leaseKeepAlive(ReadStream<LeaseKeepAliveRequest> in, WriteStream<LeaseKeepAliveResponse> out) { // public: for the JSON gateway
    Context ctx = Vertx.currentContext();
    KeepAliveStream stream = new KeepAliveStream(out);
    in.exceptionHandler(e -> stream.broken());
    if (in instanceof GrpcReadStream<?> grpc) grpc.errorHandler(e -> stream.broken());
    in.endHandler(v -> ctx.runOnContext(x -> stream.endRequested()));
    in.handler(req -> {
      stream.renewing();
      leases.leader().renew(req.getID()).whenComplete((a, e) -> ctx.runOnContext(x -> {
        if (e != null) {
          stream.fail((StatusException) GrpcErrors.toStatus(e));
        } else {
          stream.answer(LeaseKeepAliveResponse.newBuilder().setHeader(server.currentHeader())
              .setID(req.getID()).setTTL(a.found() ? a.ttl() : 0).build());
        }
      }));
    });
  }

  /** A keep-alive stream's state, on its context: renewals in flight, and whether the client closed its side. */
  private static final class KeepAliveStream {
    private final WriteStream<LeaseKeepAliveResponse> out;
    private int inFlight;
    private boolean endRequested;
    private boolean ended;

    KeepAliveStream(WriteStream<LeaseKeepAliveResponse> out) {
      this.out = out;
    }

    void renewing() {
      inFlight++;
    }

    void answer(LeaseKeepAliveResponse r) {
      inFlight--;
      if (ended) return;
      out.write(r);
      endIfDone();
    }

    void fail(StatusException s) {
      inFlight--;
      if (ended) return;
      ended = true;
      io.vkv.node.wire.StreamErrors.fail(out, s);
    }

    void endRequested() {
      endRequested = true;
      endIfDone();
    }

    void broken() {
      ended = true;
    }

    private void endIfDone() {
      if (endRequested && inFlight == 0 && !ended) {
        ended = true;
        out.end();
      }
    }
  }

  /** As the caller: a revoke needs write permission on every key attached to the lease (checked as it applies). */
  private Future<ApplyResult> write(InternalRequest.Builder request) {
    try {
      request.setHeader(server.auth().caller());
    } catch (RuntimeException e) {
      return Future.failedFuture(GrpcErrors.toStatus(e));
    }
    return GrpcProposer.propose(server, request.build(), context);
  }
}
