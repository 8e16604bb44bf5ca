package io.vkv.node.raft;

import io.vertx.core.net.NetSocket;
import io.vkv.api.internal.PeerFrame;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Where peer frames that are not Raft messages go: frames on the peer stream to every registered handler, a request
 * that came on a connection of its own (hash_kv_request) to the one request handler (none until set: the
 * connection is closed). Handlers run on the Raft loop's context and must not block.
 */
final class PeerFrameRouting {
  private final List<Consumer<PeerFrame>> frameHandlers = new CopyOnWriteArrayList<>();
  private volatile BiConsumer<NetSocket, PeerFrame> requests = (socket, f) -> socket.close();

  void addFrameHandler(Consumer<PeerFrame> handler) {
    frameHandlers.add(handler);
  }

  void requestHandler(BiConsumer<NetSocket, PeerFrame> handler) {
    requests = handler;
  }

  void frame(PeerFrame f) {
    frameHandlers.forEach(h -> h.accept(f));
  }

  void request(NetSocket socket, PeerFrame f) {
    requests.accept(socket, f);
  }
}
