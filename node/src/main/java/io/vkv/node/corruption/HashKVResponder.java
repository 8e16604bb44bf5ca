package io.vkv.node.corruption;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import io.vkv.api.EtcdException;
import io.vkv.api.etcdserverpb.HashKVResponse;
import io.vkv.api.etcdserverpb.ResponseHeader;
import io.vkv.api.internal.HashKVReply;
import io.vkv.api.internal.PeerFrame;
import io.vkv.node.peer.PeerCall;
import io.vkv.store.KvHash;
import io.vkv.store.MvccReader;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Answers another member's hash request (the peer side of etcd's {@code /members/hashkv}): the store is hashed on a
 * worker thread, since hashing reads the whole history, and the answer goes back on the connection it came on.
 */
public final class HashKVResponder {
  private static final Logger LOG = Logger.getLogger(HashKVResponder.class.getName());
  private final Vertx vertx;
  private final MvccReader store;
  private final long clusterId;
  private final long memberId;
  private final LongSupplier term;

  public HashKVResponder(Vertx vertx, MvccReader store, long clusterId, long memberId, LongSupplier term) {
    this.vertx = vertx;
    this.store = store;
    this.clusterId = clusterId;
    this.memberId = memberId;
    this.term = term;
  }

  /** Called with a frame carrying {@code hash_kv_request}; never blocks the caller. */
  public void answer(NetSocket socket, PeerFrame request) {
    long revision = request.getHashKvRequest().getRevision();
    vertx.executeBlocking(() -> reply(revision), false).onComplete(ar -> {
      if (ar.succeeded()) {
        PeerCall.reply(socket, PeerFrame.newBuilder().setFrom(memberId).setHashKvReply(ar.result()).build());
      } else {
        LOG.warning(() -> "could not hash the store for member " + Long.toHexString(request.getFrom()) + ": "
            + ar.cause());
        socket.close();
      }
    });
  }

  private HashKVReply reply(long revision) {
    try {
      KvHash h = store.hashByRevision(revision);
      ResponseHeader header = ResponseHeader.newBuilder().setClusterId(clusterId).setMemberId(memberId)
          .setRevision(h.currentRevision()).setRaftTerm(term.getAsLong()).build();
      return HashKVReply.newBuilder().setResponse(HashKVResponse.newBuilder().setHeader(header).setHash(h.hash())
          .setCompactRevision(h.compactRevision())).build();
    } catch (EtcdException e) {
      return HashKVReply.newBuilder().setError(e.error().name()).build(); // FUTURE_REV or COMPACTED
    }
  }
}
