package io.vkv.node.corruption;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vkv.api.etcdserverpb.AlarmMember;
import io.vkv.api.etcdserverpb.AlarmRequest;
import io.vkv.api.etcdserverpb.AlarmType;
import io.vkv.api.internal.InternalRequest;
import io.vkv.node.cluster.Membership;
import io.vkv.node.raft.RaftProposer;
import io.vkv.store.KvHash;
import io.vkv.store.MvccReader;
import java.util.List;
import java.util.OptionalLong;
import java.util.logging.Logger;

/**
 * {@code --experimental-corrupt-check-time}: while this member leads, it periodically compares every member's hash
 * at its own revision with its own and raises the CORRUPT alarm through the log for the member that diverged
 * (etcd's monitorKVHash / checkHashKV). Once applied, the alarm makes every member refuse writes.
 */
public final class CorruptionMonitor {
  private static final Logger LOG = Logger.getLogger(CorruptionMonitor.class.getName());
  private final Vertx vertx;
  private final MvccReader store;
  private final RaftProposer proposer;
  private final Membership membership;
  private final PeerHashes peers;
  private final long intervalMs;
  private long timer = -1;
  private boolean checking;

  public CorruptionMonitor(Vertx vertx, MvccReader store, RaftProposer proposer, Membership membership,
                           io.vkv.node.peer.PeerClients clients, long intervalMs, long timeoutMs) {
    this.vertx = vertx;
    this.store = store;
    this.proposer = proposer;
    this.membership = membership;
    this.peers = new PeerHashes(vertx, clients, membership.localId(), timeoutMs);
    this.intervalMs = intervalMs;
  }

  /** Starts the periodic check (nothing with an interval of 0); call on the context it should run on. */
  public void start() {
    if (intervalMs <= 0) return;
    LOG.info(() -> String.format("corruption check every %d ms while member %x leads", intervalMs, membership.localId()));
    timer = vertx.setPeriodic(intervalMs, t -> {
      if (checking || !proposer.isLeader()) return;
      checking = true;
      check().onComplete(ar -> {
        checking = false;
        if (ar.failed()) LOG.warning(() -> "corruption check failed: " + ar.cause());
      });
    });
  }

  public void stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  /** One check; completes with the member alarmed, if any. */
  Future<OptionalLong> check() {
    return vertx.executeBlocking(() -> store.hashByRevision(0), false).compose(before ->
        peers.ask(membership.members(), before.currentRevision()).compose(answers ->
            // the leader applies everything committed so far, so that no answering follower can be ahead of it
            Future.fromCompletionStage(proposer.readBarrier(), vertx.getOrCreateContext())
                .compose(v -> vertx.executeBlocking(() -> store.hashByRevision(0), false))
                .compose(after -> judge(before, after, answers))));
  }

  private Future<OptionalLong> judge(KvHash before, KvHash after, List<PeerHash> answers) {
    OptionalLong suspect = HashComparison.suspect(membership.localId(), before, after, answers);
    if (suspect.isEmpty()) {
      LOG.fine(() -> "corruption check passed at revision " + before.currentRevision());
      return Future.succeededFuture(suspect);
    }
    long id = suspect.getAsLong();
    AlarmMember alarm = AlarmMember.newBuilder().setMemberID(id).setAlarm(AlarmType.CORRUPT).build();
    LOG.severe(() -> String.format("member %x diverged (leader %x at revision %d, compact revision %d, hash %d; "
            + "answers %s): raising the CORRUPT alarm", id, membership.localId(), before.currentRevision(),
        before.compactRevision(), Integer.toUnsignedLong(before.hash()), describe(answers)));
    if (store.alarms().contains(alarm)) return Future.succeededFuture(suspect);
    InternalRequest raise = InternalRequest.newBuilder().setAlarm(AlarmRequest.newBuilder()
        .setAction(AlarmRequest.AlarmAction.ACTIVATE).setMemberID(id).setAlarm(AlarmType.CORRUPT)).build();
    return Future.fromCompletionStage(proposer.propose(raise), vertx.getOrCreateContext()).map(applied -> suspect);
  }

  private static String describe(List<PeerHash> answers) {
    StringBuilder s = new StringBuilder();
    for (PeerHash p : answers) {
      if (!s.isEmpty()) s.append(", ");
      s.append(Long.toHexString(p.memberId())).append(": ");
      if (p.response() == null) {
        s.append(p.failure());
      } else {
        s.append("revision ").append(p.response().getHeader().getRevision()).append(" compact revision ")
            .append(p.response().getCompactRevision()).append(" hash ")
            .append(Integer.toUnsignedLong(p.response().getHash()));
      }
    }
    return s.toString();
  }
}
