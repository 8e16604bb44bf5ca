package io.vkv.node.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.logging.Logger;

/**
 * Accepts connections from other members on the peer port and hands every frame to {@code onFrame}, on the
 * event loop of the context that started it (the Raft loop's).
 */
public final class PeerServer {
  private static final Logger LOG = Logger.getLogger(PeerServer.class.getName());
  private final Vertx vertx;
  private final java.util.function.BiConsumer<NetSocket, Buffer> onFrame;
  private NetServer server;

  /** @param onFrame each frame with the connection it came on (a snapshot transfer answers on it) */
  public PeerServer(Vertx vertx, java.util.function.BiConsumer<NetSocket, Buffer> onFrame) {
    this.vertx = vertx;
    this.onFrame = onFrame;
  }

  /** @param tls the peer TLS for an https peer URL (required then), null for http */
  public Future<Integer> listen(String host, int port, io.vkv.node.tls.TlsContext tls) {
    NetServerOptions options = new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true);
    if (tls != null) tls.server(options, false);
    server = vertx.createNetServer(options);
    server.connectHandler(this::accept);
    return server.listen().map(NetServer::actualPort);
  }

  private void accept(NetSocket socket) {
    socket.handler(FrameCodec.decoder(frame -> onFrame.accept(socket, frame), problem -> {
      LOG.warning(() -> "closing peer connection from " + socket.remoteAddress() + ": " + problem);
      socket.close();
    }));
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
