package io.vkv.node.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
    PeerCall.reply(socket, frame);
  }

  /** Asks the member listening on {@code peer}; fails if it cannot be reached or does not answer in time. */
  public static Future<ClusterMembers> ask(Vertx vertx, NetClient client, URI peer, long timeoutMs) {
    return PeerCall.ask(vertx, client, peer, PeerFrame.newBuilder().setMembersRequest(true).build(), timeoutMs)
        .compose(f -> f.hasMembersReply() ? Future.succeededFuture(f.getMembersReply())
            : Future.failedFuture(peer + " answered without the membership"));
  }

  private MembersFetch() {}
}
