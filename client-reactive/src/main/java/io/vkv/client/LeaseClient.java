package io.vkv.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.LeaseGrantRequest;
import io.vkv.api.etcdserverpb.LeaseGrantResponse;
import io.vkv.api.etcdserverpb.LeaseGrpcClient;
import io.vkv.api.etcdserverpb.LeaseKeepAliveRequest;
import io.vkv.api.etcdserverpb.LeaseKeepAliveResponse;
import io.vkv.api.etcdserverpb.LeaseLeasesRequest;
import io.vkv.api.etcdserverpb.LeaseLeasesResponse;
import io.vkv.api.etcdserverpb.LeaseRevokeRequest;
import io.vkv.api.etcdserverpb.LeaseRevokeResponse;
import io.vkv.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.vkv.api.etcdserverpb.LeaseTimeToLiveResponse;

/**
 * etcd's Lease service. TTLs are in seconds, as on the wire. Reads ({@code timeToLive}, {@code leases}) and single
 * keep-alives are retried on another endpoint; a grant without an ID is retried too (a lease granted twice is an
 * unused lease that expires after its TTL), while a grant with an explicit ID and a revoke are not retried once sent
 * (the second attempt would fail with "lease already exists" / "requested lease not found").
 * {@link #keepAlive(long)} keeps a lease alive until it is closed or the lease is lost.
 */
public final class LeaseClient {
  private final Invoker invoker;
  private final Transport transport;
  private final CallPolicy policy;
  private final AuthTokens tokens;
  private final OpenStreams<LeaseKeepAliveImpl> open = new OpenStreams<>(LeaseKeepAliveImpl::stop);

  LeaseClient(Invoker invoker, Transport transport, CallPolicy policy, AuthTokens tokens) {
    this.invoker = invoker;
    this.transport = transport;
    this.policy = policy;
    this.tokens = tokens;
  }

  /** A new lease with a server-chosen ID; the response's TTL may be larger (etcd's minimum TTL). */
  public Future<LeaseGrantResponse> grant(long ttlSeconds) {
    return invoker.call(LeaseGrpcClient.LeaseGrant, LeaseGrantRequest.newBuilder().setTTL(ttlSeconds).build(), true);
  }

  /** A new lease with the given ID (0: server-chosen). */
  public Future<LeaseGrantResponse> grant(long ttlSeconds, long id) {
    LeaseGrantRequest req = LeaseGrantRequest.newBuilder().setTTL(ttlSeconds).setID(id).build();
    return invoker.call(LeaseGrpcClient.LeaseGrant, req, id == 0);
  }

  /** Revokes the lease and deletes every key attached to it. */
  public Future<LeaseRevokeResponse> revoke(long id) {
    return invoker.call(LeaseGrpcClient.LeaseRevoke, LeaseRevokeRequest.newBuilder().setID(id).build(), false);
  }

  /** The remaining and granted TTL; {@code TTL == -1} when the lease does not exist; with the attached keys on request. */
  public Future<LeaseTimeToLiveResponse> timeToLive(long id, boolean withKeys) {
    LeaseTimeToLiveRequest req = LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(withKeys).build();
    return invoker.call(LeaseGrpcClient.LeaseTimeToLive, req, true);
  }

  /** Every live lease's ID. */
  public Future<LeaseLeasesResponse> leases() {
    return invoker.call(LeaseGrpcClient.LeaseLeases, LeaseLeasesRequest.getDefaultInstance(), true);
  }

  /**
   * Renews the lease once. Fails with {@link EtcdError#LEASE_NOT_FOUND} when the server answers TTL &lt;= 0 (the lease
   * expired or was revoked), as etcd's own client does.
   */
  public Future<LeaseKeepAliveResponse> keepAliveOnce(long id) {
    return invoker.callFirst(LeaseGrpcClient.LeaseKeepAlive, LeaseKeepAliveRequest.newBuilder().setID(id).build(), true)
        .compose(r -> r.getTTL() > 0 ? Future.succeededFuture(r) : Future.failedFuture(notFound()));
  }

  /**
   * Keeps the lease alive until {@link LeaseKeepAlive#close()}: a keep-alive every TTL/3 (the TTL the server last
   * answered) on a LeaseKeepAlive stream of its own, reopened on another endpoint when it breaks. Each renewal is
   * delivered to the handler; the handle fails with {@link LeaseLostException} when the server says the lease is
   * gone or when the lease's deadline passes without a renewal. Handlers run on the caller's Vert.x context (an event
   * loop of the client's Vert.x instance when called outside one).
   */
  public LeaseKeepAlive keepAlive(long id) {
    Context context = OnContext.of(transport.vertx());
    return open.open(onStopped -> new LeaseKeepAliveImpl(context,
        new KeepAliveSession(transport, policy, tokens, context, id, onStopped)), LeaseKeepAliveImpl::start);
  }

  /** Stops every keep-alive with a CANCELLED error; the client is closing. The leases are left to expire. */
  Future<Void> close() {
    return open.close();
  }

  private static VkvException notFound() {
    return new VkvException(EtcdError.LEASE_NOT_FOUND.status(), EtcdError.LEASE_NOT_FOUND.message(), null);
  }
}
