package io.vkv.client;

import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.etcdserverpb.MaintenanceGrpcClient;
import io.vkv.api.etcdserverpb.MoveLeaderRequest;
import io.vkv.api.etcdserverpb.MoveLeaderResponse;
import io.vkv.api.etcdserverpb.StatusRequest;
import io.vkv.api.etcdserverpb.StatusResponse;
import java.util.List;

/** etcd's Maintenance service: member status and leadership transfer. */
public final class MaintenanceClient {
  private static final StatusRequest STATUS = StatusRequest.getDefaultInstance();

  private final Invoker invoker;
  private final List<String> endpoints;

  MaintenanceClient(Invoker invoker, List<String> endpoints) {
    this.invoker = invoker;
    this.endpoints = List.copyOf(endpoints);
  }

  /** The status of whichever endpoint answers first in round-robin order. */
  public Future<StatusResponse> status() {
    return invoker.call(MaintenanceGrpcClient.Status, STATUS, true);
  }

  /** The status of one endpoint, named exactly as in {@link VkvClientOptions#getEndpoints()}. */
  public Future<StatusResponse> status(String endpoint) {
    return invoker.callEndpoint(endpoint, MaintenanceGrpcClient.Status, STATUS);
  }

  /**
   * Hands leadership to the voting member {@code transfereeId}. Only the leader accepts MoveLeader, so the call goes
   * to the endpoint whose status says it leads (asked in order, as {@code etcdctl move-leader} does); it completes
   * once the transferee leads. Fails with etcd's {@code etcdserver: bad leader transferee} for a non-member, or
   * UNAVAILABLE when no endpoint reports itself as leader.
   */
  public Future<MoveLeaderResponse> moveLeader(long transfereeId) {
    MoveLeaderRequest request = MoveLeaderRequest.newBuilder().setTargetID(transfereeId).build();
    return leaderEndpoint(0).compose(e -> invoker.callEndpoint(e, MaintenanceGrpcClient.MoveLeader, request));
  }

  private Future<String> leaderEndpoint(int i) {
    if (i >= endpoints.size()) {
      return Future.failedFuture(new VkvException(GrpcStatus.UNAVAILABLE,
          "no endpoint reports itself as the leader: " + endpoints, null));
    }
    String e = endpoints.get(i);
    return status(e).transform(ar -> {
      StatusResponse s = ar.succeeded() ? ar.result() : null;
      if (s != null && s.getLeader() != 0 && s.getLeader() == s.getHeader().getMemberId()) return Future.succeededFuture(e);
      return leaderEndpoint(i + 1);
    });
  }
}
