package io.vkv.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vkv.api.etcdserverpb.WatchCreateRequest;

/**
 * etcd's Watch service. Each watch has its own Watch RPC (an HTTP/2 stream on the shared connections), so pausing
 * one watch holds back only its own stream. A broken stream is resumed, on the next endpoint in round-robin order,
 * from the revision after the last one received; the client drops anything the server sends twice.
 */
public final class WatchClient {
  private static final WatchOptions DEFAULTS = new WatchOptions();

  private final Transport transport;
  private final CallPolicy policy;
  private final AuthTokens tokens;
  private final OpenStreams<WatchImpl> open = new OpenStreams<>(WatchImpl::stop);

  WatchClient(Transport transport, CallPolicy policy, AuthTokens tokens) {
    this.transport = transport;
    this.policy = policy;
    this.tokens = tokens;
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
    Context context = OnContext.of(transport.vertx());
    return open.open(onStopped -> new WatchImpl(context,
        new WatchSession(transport, policy, tokens, context, new WatchCursor(request), onStopped)), WatchImpl::start);
  }

  /** Ends every open watch with a CANCELLED error; the client is closing. */
  Future<Void> close() {
    return open.close();
  }
}
