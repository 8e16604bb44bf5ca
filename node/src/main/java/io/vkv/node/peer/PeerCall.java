package io.vkv.node.peer;

import com.google.protobuf.InvalidProtocolBufferException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vkv.api.internal.PeerFrame;
import java.net.URI;

/**
 * One question to one member on a connection of its own: a request frame out, the first frame back is the answer.
 * Works before this member's Raft loop runs (joining, the initial corruption check), as it needs no peer sender.
 */
public final class PeerCall {
  /** Writes one frame back on a connection a peer opened (the answer to a request that came on it). */
  public static void reply(NetSocket socket, PeerFrame frame) {
    socket.write(FrameCodec.encode(Buffer.buffer(frame.toByteArray())));
  }

  /** Asks the member listening on {@code peer}; fails if it cannot be reached or does not answer in time. */
  public static Future<PeerFrame> ask(Vertx vertx, NetClient client, URI peer, PeerFrame request, long timeoutMs) {
    Promise<PeerFrame> answer = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, t -> answer.tryFail("no answer from " + peer + " within " + timeoutMs + " ms"));
    client.connect(peer.getPort(), peer.getHost()).onComplete(ar -> {
      if (ar.failed()) {
        answer.tryFail(ar.cause());
        return;
      }
      NetSocket socket = ar.result();
      socket.handler(FrameCodec.decoder(payload -> {
        try {
          answer.tryComplete(PeerFrame.parseFrom(payload.getBytes()));
        } catch (InvalidProtocolBufferException e) {
          answer.tryFail(e);
        }
      }, answer::tryFail));
      socket.closeHandler(v -> answer.tryFail(peer + " closed the connection"));
      socket.write(FrameCodec.encode(Buffer.buffer(request.toByteArray())));
      answer.future().onComplete(done -> socket.close());
    });
    return answer.future().onComplete(done -> vertx.cancelTimer(timer));
  }

  private PeerCall() {}
}
