package io.vkv.node.lease;

import io.vertx.core.Vertx;
import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.LeaseCheckpoint;
import io.vkv.api.etcdserverpb.LeaseCheckpointRequest;
import io.vkv.api.internal.InternalRequest;
import io.vkv.api.internal.LeaseCall;
import io.vkv.api.internal.LeaseReply;
import io.vkv.api.internal.PeerFrame;
import io.vkv.node.raft.RaftProposer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keep-alive and time-to-live, which only the leader's lessor can answer (only it knows expiry times). On the
 * leader they run locally; a follower forwards them to the leader as a {@link LeaseCall} over the peer
 * connection (the one Raft uses) and completes when the {@link LeaseReply} comes back, or fails after a timeout.
 */
public final class LeaderLeases {
  /** What a renewal or time-to-live answers; {@code found} false: the lease does not exist or has expired. */
  public record Answer(boolean found, long ttl, long grantedTtl) {
    static final Answer NOT_FOUND = new Answer(false, 0, 0);
  }

  private final Vertx vertx;
  private final Lessor lessor;
  private final RaftProposer proposer;
  private final long timeoutMs;
  private final AtomicLong nextCall = new AtomicLong();
  private final Map<Long, CompletableFuture<Answer>> pending = new ConcurrentHashMap<>();

  public LeaderLeases(Vertx vertx, Lessor lessor, RaftProposer proposer, long timeoutMs) {
    this.vertx = vertx;
    this.lessor = lessor;
    this.proposer = proposer;
    this.timeoutMs = timeoutMs;
    proposer.onPeerFrame(this::onFrame);
  }

  /** Renews the lease for its full TTL. */
  public CompletableFuture<Answer> renew(long id) {
    return call(id, true);
  }

  /** The remaining and granted TTL. */
  public CompletableFuture<Answer> timeToLive(long id) {
    return call(id, false);
  }

  private CompletableFuture<Answer> call(long id, boolean renew) {
    if (!lessor.isPrimary()) return forward(id, renew);
    if (!renew) {
      try {
        return local(id, false);
      } catch (Lessor.NotLeaderException e) {
        return forward(id, false);
      }
    }
    return confirmedRenewal(id).handle((a, e) -> {
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof Lessor.NotLeaderException) return forward(id, true);
      return e == null ? CompletableFuture.completedFuture(a) : CompletableFuture.<Answer>failedFuture(cause);
    }).thenCompose(answer -> answer);
  }

  /**
   * Renews on this member only once a ReadIndex round confirmed that it still leads. A leader whose Raft loop is
   * held up (a stalled fsync, a pause) still takes itself for the leader while the others elected another one, which
   * renews for real; a renewal answered here would be one the real leader never heard of, and the lease would expire
   * before the TTL the client was told (etcd-io/etcd#15247, which etcd fixed by confirming leadership too). Fails with
   * {@link Lessor.NotLeaderException} if this member no longer leads once confirmed.
   */
  private CompletableFuture<Answer> confirmedRenewal(long id) {
    return proposer.readBarrier().thenCompose(v -> {
      if (!proposer.isLeader()) throw new Lessor.NotLeaderException();
      return local(id, true);
    });
  }

  private CompletableFuture<Answer> local(long id, boolean renew) {
    if (!renew) {
      Lessor.Remaining r = lessor.remaining(id);
      return CompletableFuture.completedFuture(r == null ? Answer.NOT_FOUND : new Answer(true, r.ttl(), r.grantedTtl()));
    }
    Lessor.Renewal r = lessor.renew(id);
    if (r == null) return afterRevoke(id);
    Answer ok = new Answer(true, r.ttl(), r.ttl());
    if (!r.clearCheckpoint()) return CompletableFuture.completedFuture(ok);
    // the log holds a remaining TTL from before this renewal: clear it first, or a new leader would use it
    InternalRequest clear = InternalRequest.newBuilder().setLeaseCheckpoint(LeaseCheckpointRequest.newBuilder()
        .addCheckpoints(LeaseCheckpoint.newBuilder().setID(id).setRemainingTTL(0))).build();
    return proposer.propose(clear).thenApply(result -> {
      if (result.error() != null) throw result.error();
      return ok;
    });
  }

  /**
   * A renewal of an expired lease is answered (TTL 0) only once its revoke has applied, as etcd does, so that the
   * caller never hears "expired" while the lease's keys still exist. If leadership moves meanwhile the new leader
   * answers; if the revoke takes longer than the call timeout, the answer is "expired" all the same.
   */
  private CompletableFuture<Answer> afterRevoke(long id) {
    return lessor.whenGone(id).orTimeout(timeoutMs, TimeUnit.MILLISECONDS).handle((v, e) -> {
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
      return cause instanceof Lessor.NotLeaderException ? forward(id, true) : CompletableFuture.completedFuture(Answer.NOT_FOUND);
    }).thenCompose(answer -> answer);
  }

  private CompletableFuture<Answer> forward(long id, boolean renew) {
    long leader = proposer.leaderId();
    if (leader == 0) return CompletableFuture.failedFuture(EtcdError.NO_LEADER.exception());
    long callId = nextCall.incrementAndGet();
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    pending.put(callId, answer);
    long timer = vertx.setTimer(timeoutMs, t -> {
      CompletableFuture<Answer> f = pending.remove(callId);
      if (f != null) f.completeExceptionally(EtcdError.TIMEOUT.exception());
    });
    answer.whenComplete((a, e) -> vertx.cancelTimer(timer));
    proposer.sendPeerFrame(leader, PeerFrame.newBuilder()
        .setLeaseCall(LeaseCall.newBuilder().setCallId(callId).setLeaseId(id).setRenew(renew)).build());
    return answer;
  }

  /** On the Raft loop's context: a call from a follower, or the leader's reply to one of ours. */
  private void onFrame(PeerFrame f) {
    if (f.hasLeaseReply()) {
      LeaseReply r = f.getLeaseReply();
      CompletableFuture<Answer> waiting = pending.remove(r.getCallId());
      if (waiting == null) return;
      if (r.getNotLeader()) waiting.completeExceptionally(EtcdError.LEADER_CHANGED.exception());
      else waiting.complete(new Answer(r.getFound(), r.getTtl(), r.getGrantedTtl()));
      return;
    }
    if (!f.hasLeaseCall()) return; // another service's frame
    LeaseCall c = f.getLeaseCall();
    long from = f.getFrom();
    CompletableFuture<Answer> done;
    try {
      if (!lessor.isPrimary()) throw new Lessor.NotLeaderException();
      done = c.getRenew() ? confirmedRenewal(c.getLeaseId()) : local(c.getLeaseId(), false);
    } catch (Lessor.NotLeaderException e) {
      reply(from, LeaseReply.newBuilder().setCallId(c.getCallId()).setNotLeader(true).build());
      return;
    }
    done.whenComplete((a, e) -> reply(from, e != null
        ? LeaseReply.newBuilder().setCallId(c.getCallId()).setNotLeader(true).build()
        : LeaseReply.newBuilder().setCallId(c.getCallId()).setFound(a.found()).setTtl(a.ttl())
            .setGrantedTtl(a.grantedTtl()).build()));
  }

  private void reply(long to, LeaseReply r) {
    proposer.sendPeerFrame(to, PeerFrame.newBuilder().setLeaseReply(r).build());
  }
}
