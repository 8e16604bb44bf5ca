package io.vkv.node.peer;

import com.google.protobuf.InvalidProtocolBufferException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vkv.api.internal.ClusterMembers;
import io.vkv.api.internal.PeerFrame;
import java.net.URI;

/**
 * How a member started with {@code --initial-cluster-state existing} learns the cluster it joins: it asks a peer
 * for the membership over the peer port (one request frame, one reply frame on the same connection).
 */
public final class MembersFetch {
  /** Writes one frame back on a connection a peer opened (the reply to a request that came on it). */
  public static void reply(NetSocket socket, PeerFrame frame) {
    socket.write(FrameCodec.encode(Buffer.buffer(frame.toByteArray())));
  }

  /** Asks the member listening on {@code peer}; fails if it cannot be reached or does not answer in time. */
  public static Future<ClusterMembers> ask(Vertx vertx, NetClient client, URI peer, long timeoutMs) {
    Promise<ClusterMembers> answer = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, t -> answer.tryFail("no answer from " + peer + " within " + timeoutMs + " ms"));
    client.connect(peer.getPort(), peer.getHost()).onComplete(ar -> {
      if (ar.failed()) {
        answer.tryFail(ar.cause());
        return;
      }
      NetSocket socket = ar.result();
      socket.handler(FrameCodec.decoder(payload -> {
        try {
          PeerFrame f = PeerFrame.parseFrom(payload.getBytes());
          if (f.hasMembersReply()) answer.tryComplete(f.getMembersReply());
          else answer.tryFail(peer + " answered without the membership");
        } catch (InvalidProtocolBufferException e) {
          answer.tryFail(e);
        }
      }, answer::tryFail));
      socket.closeHandler(v -> answer.tryFail(peer + " closed the connection"));
      socket.write(FrameCodec.encode(Buffer.buffer(PeerFrame.newBuilder().setMembersRequest(true).build().toByteArray())));
      answer.future().onComplete(done -> socket.close());
    });
    return answer.future().onComplete(done -> vertx.cancelTimer(timer));
  }

  private MembersFetch() {}
}
