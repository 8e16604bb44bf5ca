package io.vkv.node.watch;

import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vkv.api.etcdserverpb.ResponseHeader;
import io.vkv.api.etcdserverpb.WatchRequest;
import io.vkv.api.etcdserverpb.WatchResponse;
import io.vkv.api.etcdserverpb.WatchService;
import io.vkv.node.NodeConfig;
import java.util.function.LongFunction;

/** etcd's Watch service: each call becomes a {@link WatchStream} on the event loop that serves it. */
public final class WatchEndpoint extends WatchService {
  private final WatchRuntime runtime;
  private final LongFunction<ResponseHeader> headers;
  private final int fragmentBytes;

  /**
   * @param headers the node's response header (cluster, member, term) at a revision
   * @param maxRequestBytes --max-request-bytes; as in etcd 3.4, a fragment-enabled watcher's responses split at
   *     this plus gRPC's allowance ({@link NodeConfig#GRPC_OVERHEAD_BYTES})
   */
  public WatchEndpoint(WatchRuntime runtime, LongFunction<ResponseHeader> headers, int maxRequestBytes) {
    this.runtime = runtime;
    this.headers = headers;
    this.fragmentBytes = maxRequestBytes + NodeConfig.GRPC_OVERHEAD_BYTES;
  }

  @Override
  protected void watch(ReadStream<WatchRequest> request, WriteStream<WatchResponse> response) {
    new WatchStream(runtime, headers, fragmentBytes, Vertx.currentContext(), response).start(request);
  }
}
