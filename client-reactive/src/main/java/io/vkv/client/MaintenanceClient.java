package io.vkv.client;

import io.vertx.core.Future;
import io.vkv.api.etcdserverpb.MaintenanceGrpcClient;
import io.vkv.api.etcdserverpb.StatusRequest;
import io.vkv.api.etcdserverpb.StatusResponse;

/** etcd's Maintenance service: member status so far. */
public final class MaintenanceClient {
  private static final StatusRequest STATUS = StatusRequest.getDefaultInstance();

  private final Invoker invoker;

  MaintenanceClient(Invoker invoker) {
    this.invoker = invoker;
  }

  /** The status of whichever endpoint answers first in round-robin order. */
  public Future<StatusResponse> status() {
    return invoker.call(MaintenanceGrpcClient.Status, STATUS, true);
  }

  /** The status of one endpoint, named exactly as in {@link VkvClientOptions#getEndpoints()}. */
  public Future<StatusResponse> status(String endpoint) {
    return invoker.callEndpoint(endpoint, MaintenanceGrpcClient.Status, STATUS);
  }
}
