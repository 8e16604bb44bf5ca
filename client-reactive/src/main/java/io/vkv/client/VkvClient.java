package io.vkv.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A client for vkv or any etcd v3 server. Thread-safe; calls return Vert.x futures that complete on the calling
 * Vert.x context when there is one. Create one per application and share it.
 *
 * <pre>{@code
 * VkvClient client = VkvClient.create(vertx, new VkvClientOptions().addEndpoint("127.0.0.1:2379"));
 * client.kv().put("greeting", "hello")
 *     .compose(put -> client.kv().get("greeting"))
 *     .onSuccess(range -> System.out.println(range.getKvs(0).getValue().toStringUtf8()));
 * }</pre>
 */
public interface VkvClient {

  /** A client on the caller's Vert.x instance, which the client does not close. */
  static VkvClient create(Vertx vertx, VkvClientOptions options) {
    return new VkvClientImpl(vertx, false, options);
  }

  /** A client with its own Vert.x instance, closed by {@link #close()}. */
  static VkvClient create(VkvClientOptions options) {
    Vertx vertx = Vertx.vertx();
    try {
      return new VkvClientImpl(vertx, true, options);
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  KvClient kv();

  ClusterClient cluster();

  MaintenanceClient maintenance();

  /** Watches: streams of changes that survive reconnections. */
  WatchClient watch();

  /** Leases: grant, revoke, time-to-live, and keep-alives that report a lost lease. */
  LeaseClient lease();

  /** Distributed locks held through a lease. */
  LockClient lock();

  /** Leader elections held through a lease. */
  ElectionClient election();

  /** etcd's Auth service: enabling auth, users, roles and their permissions. */
  AuthClient auth();

  /** Closes the connections (and the Vert.x instance when the client created it). */
  Future<Void> close();
}
