package io.vkv.node.grpc;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Vert.x's HTTP/2 connection flushes the socket after every frame it writes outside a read (headers, the
 * message, the trailers of each response), and a write's response is sent from a task the applier queued, i.e.
 * outside a read: one write(2) per frame. Netty's flush consolidation defers those flushes to one task queued
 * behind the ones already waiting, so the responses of one applied batch leave in a few socket writes. Inside a
 * read, flushes still happen at read-complete as before.
 */
final class FlushCoalescing {
  /** Flush at the latest after this many deferred flushes (Netty's default). */
  private static final int MAX_DEFERRED = FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

  private FlushCoalescing() {
  }

  /** Installs on the connection's pipeline (Vert.x internal API: without it nothing changes). */
  static void install(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase c)) return;
    ChannelPipeline pipeline = c.channel().pipeline();
    if (pipeline.get(FlushConsolidationHandler.class) == null) {
      pipeline.addFirst(new FlushConsolidationHandler(MAX_DEFERRED, true));
    }
  }
}
