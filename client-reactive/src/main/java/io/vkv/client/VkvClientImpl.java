package io.vkv.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Wires the transport, the call policy and the sub-clients together. */
final class VkvClientImpl implements VkvClient {
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final Transport transport;
  private final KvClient kv;
  private final ClusterClient cluster;
  private final MaintenanceClient maintenance;

  VkvClientImpl(Vertx vertx, boolean ownsVertx, VkvClientOptions options) {
    VkvClientOptions copy = new VkvClientOptions(options);
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.transport = new Transport(vertx, copy);
    Invoker invoker = new Invoker(transport, CallPolicy.of(copy));
    this.kv = new KvClient(invoker);
    this.cluster = new ClusterClient(invoker);
    this.maintenance = new MaintenanceClient(invoker);
  }

  @Override
  public KvClient kv() {
    return kv;
  }

  @Override
  public ClusterClient cluster() {
    return cluster;
  }

  @Override
  public MaintenanceClient maintenance() {
    return maintenance;
  }

  @Override
  public Future<Void> close() {
    Future<Void> closed = transport.close();
    return ownsVertx ? closed.eventually(vertx::close) : closed;
  }
}
