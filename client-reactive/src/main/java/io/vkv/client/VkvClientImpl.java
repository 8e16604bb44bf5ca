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
  private final LeaseClient lease;
  private final LockClient lock;
  private final ElectionClient election;
  private final AuthClient auth;
  private final AuthTokens tokens;

  VkvClientImpl(Vertx vertx, boolean ownsVertx, VkvClientOptions options) {
    VkvClientOptions copy = new VkvClientOptions(options);
    copy.validate();
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.transport = new Transport(vertx, copy);
    this.tokens = AuthTokens.of(transport, CallPolicy.of(copy), copy.getUser(), copy.getPassword());
    Invoker invoker = new Invoker(transport, CallPolicy.of(copy), tokens);
    this.kv = new KvClient(invoker);
    this.cluster = new ClusterClient(invoker);
    this.maintenance = new MaintenanceClient(invoker, copy.getEndpoints());
    this.watch = new WatchClient(transport, CallPolicy.of(copy), tokens);
    this.lease = new LeaseClient(invoker, transport, CallPolicy.of(copy), tokens);
    this.lock = new LockClient(invoker);
    this.election = new ElectionClient(invoker, transport, CallPolicy.of(copy), tokens);
    this.auth = new AuthClient(invoker);
  }

  /** The client's token source, for tests that count Authenticate calls. */
  AuthTokens tokens() {
    return tokens;
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
  public LeaseClient lease() {
    return lease;
  }

  @Override
  public LockClient lock() {
    return lock;
  }

  @Override
  public ElectionClient election() {
    return election;
  }

  @Override
  public AuthClient auth() {
    return auth;
  }

  @Override
  public Future<Void> close() {
    // streams first: stopped, they no longer try to reconnect when the connections go
    Future<Void> streams = Future.join(watch.close(), lease.close(), election.close()).mapEmpty();
    Future<Void> closed = streams.eventually(transport::close);
    return ownsVertx ? closed.eventually(vertx::close) : closed;
  }
}
