package io.vkv.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.etcdserverpb.WatchCreateRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * etcd's Watch service. Each watch has its own Watch RPC (an HTTP/2 stream on the shared connections), so pausing
 * one watch holds back only its own stream. A broken stream is resumed, on the next endpoint in round-robin order,
 * from the revision after the last one received; the client drops anything the server sends twice.
 */
public final class WatchClient {
  private static final WatchOptions DEFAULTS = new WatchOptions();

  private final Transport transport;
  private final CallPolicy policy;
  private final Set<WatchImpl> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  WatchClient(Transport transport, CallPolicy policy) {
    this.transport = transport;
    this.policy = policy;
  }

  public Watch watch(String key) {
    return watch(DEFAULTS.toRequest(Bytes.of(key)));
  }

  public Watch watch(String key, WatchOptions options) {
    return watch(options.toRequest(Bytes.of(key)));
  }

  public Watch watch(Buffer key, WatchOptions options) {
    return watch(options.toRequest(Bytes.of(key)));
  }

  public Watch watch(byte[] key, WatchOptions options) {
    return watch(options.toRequest(Bytes.of(key)));
  }

  /** A prepared create request; its {@code watch_id} is ignored (the server assigns one per stream). */
  public Watch watch(WatchCreateRequest request) {
    Vertx vertx = transport.vertx();
    Context current = Vertx.currentContext();
    Context context = current != null && current.owner() == vertx ? current : vertx.getOrCreateContext();
    WatchImpl[] self = new WatchImpl[1];
    WatchSession session = new WatchSession(transport, policy, context, new WatchCursor(request),
        () -> open.remove(self[0]));
    WatchImpl watch = new WatchImpl(context, session);
    self[0] = watch;
    open.add(watch);
    if (closed) {
      watch.stop(clientClosed());
    } else {
      watch.onContext(session::start);
    }
    return watch;
  }

  /** Ends every open watch with a CANCELLED error; the client is closing. */
  Future<Void> close() {
    closed = true;
    List<Future<Void>> stopping = new ArrayList<>();
    for (WatchImpl w : open) stopping.add(w.stop(clientClosed()));
    return Future.join(stopping).mapEmpty();
  }

  private static VkvException clientClosed() {
    return new VkvException(GrpcStatus.CANCELLED, "the client is closed", null);
  }
}
