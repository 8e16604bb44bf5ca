package io.vkv.client;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vkv.api.v3electionpb.CampaignRequest;
import io.vkv.api.v3electionpb.CampaignResponse;
import io.vkv.api.v3electionpb.ElectionGrpcClient;
import io.vkv.api.v3electionpb.LeaderKey;
import io.vkv.api.v3electionpb.LeaderRequest;
import io.vkv.api.v3electionpb.LeaderResponse;
import io.vkv.api.v3electionpb.ProclaimRequest;
import io.vkv.api.v3electionpb.ProclaimResponse;
import io.vkv.api.v3electionpb.ResignRequest;
import io.vkv.api.v3electionpb.ResignResponse;
import java.time.Duration;

/**
 * etcd's Election service (v3election). Campaign waits on the server until the caller is the leader, so it has no
 * deadline unless one is given; leadership lasts while the campaign's lease lives. Campaign, Proclaim and Resign
 * are writes and are not retried once sent; Leader and Observe are reads and fail over like other reads.
 */
public final class ElectionClient {
  private final Invoker invoker;
  private final Transport transport;
  private final CallPolicy policy;
  private final AuthTokens tokens;
  private final OpenStreams<ObserveStream> open = new OpenStreams<>(ObserveStream::stop);

  ElectionClient(Invoker invoker, Transport transport, CallPolicy policy, AuthTokens tokens) {
    this.invoker = invoker;
    this.transport = transport;
    this.policy = policy;
    this.tokens = tokens;
  }

  /** Waits, without a deadline, until elected; the response's {@code getLeader()} identifies this leadership. */
  public Future<CampaignResponse> campaign(String name, long leaseId, String value) {
    return campaign(Bytes.of(name), leaseId, Bytes.of(value), 0);
  }

  /** As {@link #campaign(String, long, String)}, giving up with DEADLINE_EXCEEDED after {@code timeout}. */
  public Future<CampaignResponse> campaign(String name, long leaseId, String value, Duration timeout) {
    return campaign(Bytes.of(name), leaseId, Bytes.of(value), LockClient.nanos(timeout));
  }

  public Future<CampaignResponse> campaign(Buffer name, long leaseId, Buffer value, Duration timeout) {
    return campaign(Bytes.of(name), leaseId, Bytes.of(value), LockClient.nanos(timeout));
  }

  private Future<CampaignResponse> campaign(ByteString name, long leaseId, ByteString value, long timeoutNanos) {
    CampaignRequest req = CampaignRequest.newBuilder().setName(name).setLease(leaseId).setValue(value).build();
    return invoker.call(ElectionGrpcClient.Campaign, req, false, timeoutNanos);
  }

  /** Publishes a new value as the current leader; fails with "election: not leader" when it no longer is. */
  public Future<ProclaimResponse> proclaim(LeaderKey leader, String value) {
    return proclaim(leader, Bytes.of(value));
  }

  public Future<ProclaimResponse> proclaim(LeaderKey leader, Buffer value) {
    return proclaim(leader, Bytes.of(value));
  }

  private Future<ProclaimResponse> proclaim(LeaderKey leader, ByteString value) {
    ProclaimRequest req = ProclaimRequest.newBuilder().setLeader(leader).setValue(value).build();
    return invoker.call(ElectionGrpcClient.Proclaim, req, false);
  }

  /** The current leader's key and value; fails with "election: no leader" when there is none. */
  public Future<LeaderResponse> leader(String name) {
    return invoker.call(ElectionGrpcClient.Leader, LeaderRequest.newBuilder().setName(Bytes.of(name)).build(), true);
  }

  /** Gives up leadership, letting the next campaigner in. */
  public Future<ResignResponse> resign(LeaderKey leader) {
    return invoker.call(ElectionGrpcClient.Resign, ResignRequest.newBuilder().setLeader(leader).build(), false);
  }

  /**
   * The election's leaders as a stream: the current one (once there is one), then each new leader or proclaimed
   * value. A broken stream is reopened on the next endpoint with backoff; the leader the new stream starts with is
   * dropped when it was the last one delivered.
   */
  public LeaderStream observe(String name) {
    return observe(Bytes.of(name));
  }

  public LeaderStream observe(Buffer name) {
    return observe(Bytes.of(name));
  }

  private LeaderStream observe(ByteString name) {
    LeaderRequest request = LeaderRequest.newBuilder().setName(name).build();
    return open.open(onStopped -> new ObserveStream(transport, policy, tokens, OnContext.of(transport.vertx()), request,
        onStopped), ObserveStream::start);
  }

  /** Ends every observation with a CANCELLED error; the client is closing. */
  Future<Void> close() {
    return open.close();
  }
}
