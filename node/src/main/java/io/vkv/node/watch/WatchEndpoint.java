package io.vkv.node.watch;

import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vkv.api.etcdserverpb.ResponseHeader;
import io.vkv.api.etcdserverpb.WatchRequest;
import io.vkv.api.etcdserverpb.WatchResponse;
import io.vkv.api.etcdserverpb.WatchService;
import io.vkv.api.EtcdException;
import io.vkv.api.etcdserverpb.WatchCreateRequest;
import io.vkv.node.NodeConfig;
import io.vkv.node.auth.AuthGate;
import io.vkv.node.auth.RequestTokens;
import java.util.function.LongFunction;

/** etcd's Watch service: each call becomes a {@link WatchStream} on the event loop that serves it. */
public final class WatchEndpoint extends WatchService {
  private final WatchRuntime runtime;
  private final LongFunction<ResponseHeader> headers;
  private final int fragmentBytes;
  private final AuthGate auth;

  /**
   * @param headers the node's response header (cluster, member, term) at a revision
   * @param maxRequestBytes --max-request-bytes; as in etcd 3.4, a fragment-enabled watcher's responses split at
   *     this plus gRPC's allowance ({@link NodeConfig#GRPC_OVERHEAD_BYTES})
   */
  public WatchEndpoint(WatchRuntime runtime, LongFunction<ResponseHeader> headers, int maxRequestBytes, AuthGate auth) {
    this.runtime = runtime;
    this.auth = auth;
    this.headers = headers;
    this.fragmentBytes = maxRequestBytes + NodeConfig.GRPC_OVERHEAD_BYTES;
  }

  @Override
  public void watch(ReadStream<WatchRequest> request, WriteStream<WatchResponse> response) { // public: for the JSON gateway
    // the token of the stream, checked again at every create (it may expire, or the user lose permissions)
    RequestTokens.Credentials token = RequestTokens.credentials();
    new WatchStream(runtime, headers, fragmentBytes, Vertx.currentContext(), response, c -> refusal(token, c)).start(request);
  }

  /** etcd's answer to a watch the caller may not read: created and canceled at once, with the gRPC error as reason. */
  private String refusal(RequestTokens.Credentials token, WatchCreateRequest c) {
    if (!auth.enabled()) return null;
    try {
      auth.checkRead(auth.resolve(token), c.getKey(), c.getRangeEnd());
      return null;
    } catch (EtcdException e) {
      return "rpc error: code = " + GoStatusNames.of(e.error().status()) + " desc = " + e.error().message();
    }
  }
}
