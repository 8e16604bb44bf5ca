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
  private final WatchClient watch;

  VkvClientImpl(Vertx vertx, boolean ownsVertx, VkvClientOptions options) {
    VkvClientOptions copy = new VkvClientOptions(options);
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.transport = new Transport(vertx, copy);
    Invoker invoker = new Invoker(transport, CallPolicy.of(copy));
    this.kv = new KvClient(invoker);
    this.cluster = new ClusterClient(invoker);
    this.maintenance = new MaintenanceClient(invoker);
    this.watch = new WatchClient(transport, CallPolicy.of(copy));
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
  public WatchClient watch() {
    return watch;
  }

  @Override
  public Future<Void> close() {
    // watches first: stopped, they no longer try to reconnect when the connections go
    Future<Void> closed = watch.close().eventually(transport::close);
    return ownsVertx ? closed.eventually(vertx::close) : closed;
  }
}
