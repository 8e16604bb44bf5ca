package io.vkv.node.membership;

import io.vertx.core.Vertx;
import io.vkv.api.EtcdError;
import io.vkv.api.EtcdException;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.etcdserverpb.MemberAddRequest;
import io.vkv.api.etcdserverpb.MemberPromoteRequest;
import io.vkv.api.etcdserverpb.MemberRemoveRequest;
import io.vkv.api.etcdserverpb.MemberUpdateRequest;
import io.vkv.api.internal.ClusterCall;
import io.vkv.api.internal.ClusterReply;
import io.vkv.api.internal.PeerFrame;
import io.vkv.node.raft.RaftProposer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Membership calls a follower hands to the leader over the peer port (etcd forwards them too): a
 * {@code ClusterCall} frame out, the leader's {@code ClusterReply} back, an etcd error travelling by its name.
 */
final class LeaderCalls {
  private final Vertx vertx;
  private final RaftProposer proposer;
  private final ClusterAdmin admin;
  private final long timeoutMs;
  private final AtomicLong nextCall = new AtomicLong();
  private final Map<Long, CompletableFuture<ClusterReply>> pending = new ConcurrentHashMap<>();

  LeaderCalls(Vertx vertx, RaftProposer proposer, ClusterAdmin admin, long timeoutMs) {
    this.vertx = vertx;
    this.proposer = proposer;
    this.admin = admin;
    this.timeoutMs = timeoutMs;
    proposer.onPeerFrame(this::onFrame);
  }

  CompletableFuture<Member> add(List<String> peerUrls, boolean learner) {
    return call(ClusterCall.newBuilder().setAdd(MemberAddRequest.newBuilder().addAllPeerURLs(peerUrls)
        .setIsLearner(learner))).thenApply(ClusterReply::getMember);
  }

  CompletableFuture<Void> remove(long id) {
    return call(ClusterCall.newBuilder().setRemove(MemberRemoveRequest.newBuilder().setID(id))).thenApply(r -> null);
  }

  CompletableFuture<Void> update(long id, List<String> peerUrls) {
    return call(ClusterCall.newBuilder().setUpdate(MemberUpdateRequest.newBuilder().setID(id).addAllPeerURLs(peerUrls)))
        .thenApply(r -> null);
  }

  CompletableFuture<Void> promote(long id) {
    return call(ClusterCall.newBuilder().setPromote(MemberPromoteRequest.newBuilder().setID(id))).thenApply(r -> null);
  }

  private CompletableFuture<ClusterReply> call(ClusterCall.Builder call) {
    long id = nextCall.incrementAndGet();
    CompletableFuture<ClusterReply> reply = new CompletableFuture<>();
    pending.put(id, reply);
    long timer = vertx.setTimer(timeoutMs, t -> {
      CompletableFuture<ClusterReply> f = pending.remove(id);
      if (f != null) f.completeExceptionally(EtcdError.TIMEOUT.exception());
    });
    reply.whenComplete((r, e) -> vertx.cancelTimer(timer));
    proposer.sendPeerFrame(proposer.leaderId(), PeerFrame.newBuilder().setClusterCall(call.setCallId(id)).build());
    return reply.thenApply(r -> {
      if (r.getError().isEmpty()) return r;
      throw EtcdError.valueOf(r.getError()).exception();
    });
  }

  /** On the Raft loop: a follower's call (this member is the leader) or the leader's reply to one of ours. */
  private void onFrame(PeerFrame f) {
    if (f.hasClusterReply()) {
      CompletableFuture<ClusterReply> waiting = pending.remove(f.getClusterReply().getCallId());
      if (waiting != null) waiting.complete(f.getClusterReply());
      return;
    }
    if (!f.hasClusterCall()) return;
    ClusterCall c = f.getClusterCall();
    long from = f.getFrom();
    // never handed on again: a member that stopped leading meanwhile says so, and the follower's caller may retry
    CompletableFuture<Member> done = !proposer.isLeader() ? CompletableFuture.failedFuture(EtcdError.LEADER_CHANGED.exception())
        : switch (c.getRequestCase()) {
      case ADD -> admin.add(c.getAdd().getPeerURLsList(), c.getAdd().getIsLearner());
      case REMOVE -> admin.remove(c.getRemove().getID()).thenApply(v -> null);
      case UPDATE -> admin.update(c.getUpdate().getID(), c.getUpdate().getPeerURLsList()).thenApply(v -> null);
      case PROMOTE -> admin.promote(c.getPromote().getID()).thenApply(v -> null);
      default -> CompletableFuture.completedFuture(null);
    };
    done.whenComplete((m, e) -> {
      ClusterReply.Builder r = ClusterReply.newBuilder().setCallId(c.getCallId());
      if (e != null) r.setError(errorName(e));
      else if (m != null) r.setMember(m);
      proposer.sendPeerFrame(from, PeerFrame.newBuilder().setClusterReply(r).build());
    });
  }

  private static String errorName(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) e = e.getCause();
    return e instanceof EtcdException ee ? ee.error().name() : EtcdError.TIMEOUT.name();
  }
}
