package io.vkv.node.corruption;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vkv.api.etcdserverpb.HashKVRequest;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.internal.PeerFrame;
import io.vkv.node.peer.PeerCall;
import io.vkv.node.peer.PeerClients;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Asks the other members for their HashKV at one revision over the peer port, all at once, each on a connection of
 * its own (etcd asks each peer URL's {@code /members/hashkv} in turn until one answers). Never fails: a member
 * that cannot be asked is reported with the reason.
 */
final class PeerHashes {
  private static final Logger LOG = Logger.getLogger(PeerHashes.class.getName());
  private final Vertx vertx;
  private final PeerClients clients;
  private final long localId;
  private final long timeoutMs;

  PeerHashes(Vertx vertx, PeerClients clients, long localId, long timeoutMs) {
    this.vertx = vertx;
    this.clients = clients;
    this.localId = localId;
    this.timeoutMs = timeoutMs;
  }

  /** One answer per other member that has a peer URL, in {@code members} order. */
  Future<List<PeerHash>> ask(List<Member> members, long revision) {
    PeerFrame request = PeerFrame.newBuilder().setFrom(localId)
        .setHashKvRequest(HashKVRequest.newBuilder().setRevision(revision)).build();
    List<Future<PeerHash>> answers = new ArrayList<>();
    for (Member m : members) {
      if (m.getID() == localId || m.getPeerURLsCount() == 0) continue;
      answers.add(askMember(m, m.getPeerURLsList(), 0, request, "no peer URL answered"));
    }
    return Future.join(answers).transform(done -> Future.succeededFuture(answers.stream().map(Future::result).toList()));
  }

  /** Tries the member's peer URLs in order, from {@code next}; completes with its answer or the last failure. */
  private Future<PeerHash> askMember(Member m, List<String> urls, int next, PeerFrame request, String lastFailure) {
    if (next == urls.size()) {
      LOG.warning(() -> String.format("could not ask member %x for its hash at revision %d: %s", m.getID(),
          request.getHashKvRequest().getRevision(), lastFailure));
      return Future.succeededFuture(PeerHash.failed(m.getID(), lastFailure));
    }
    URI url = URI.create(urls.get(next));
    return PeerCall.ask(vertx, clients.forUrl(url), url, request, timeoutMs).transform(ar -> {
      if (ar.failed()) return askMember(m, urls, next + 1, request, url + ": " + ar.cause().getMessage());
      PeerFrame f = ar.result();
      if (!f.hasHashKvReply()) return askMember(m, urls, next + 1, request, url + " answered without a hash");
      if (!f.getHashKvReply().getError().isEmpty()) {
        return Future.succeededFuture(PeerHash.failed(m.getID(), f.getHashKvReply().getError()));
      }
      return Future.succeededFuture(PeerHash.answered(m.getID(), f.getHashKvReply().getResponse()));
    });
  }
}
