package io.vkv.node.membership;

import io.vkv.api.EtcdError;
import io.vkv.api.EtcdException;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.internal.MemberAttributes;
import io.vkv.consensus.ConfChange;
import io.vkv.consensus.Status;
import io.vkv.node.cluster.Membership;
import io.vkv.node.raft.RaftProposer;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * etcd's membership changes with etcd's checks: MemberAdd, MemberRemove, MemberUpdate and MemberPromote. They are
 * decided on the leader, which knows how far each member is and which members it hears from; a follower hands the
 * call to the leader ({@link LeaderCalls}). The change itself goes through the Raft log; the call completes once this
 * member applied it.
 */
public final class ClusterAdmin {
  private static final Logger LOG = Logger.getLogger(ClusterAdmin.class.getName());
  /** etcd: a learner may be promoted once its log is at 90 % of the leader's. */
  static final double READY_PERCENT = 0.9;
  /** etcd's HealthInterval: a peer counts as connected once the leader has heard from it this long without a gap. */
  static final long HEALTH_INTERVAL_NANOS = 5_000_000_000L;
  /** How soon after a leader took over a peer must have answered it to count as connected since then. */
  static final long NEW_LEADER_GRACE_NANOS = 1_000_000_000L;

  private final Membership membership;
  private final RaftProposer proposer;
  private final Supplier<List<MemberAttributes>> published;
  private final MembershipSettings settings;
  private final Runnable onPromoted;
  private LeaderCalls leader;
  /** Completes once this member applied its own removal. */
  private final CompletableFuture<Void> removedHere = new CompletableFuture<>();

  /**
   * @param published the attributes members published (a member that published its name is "started")
   * @param onPromoted counts successful promotions (etcd_server_learner_promote_successes)
   */
  public ClusterAdmin(Membership membership, RaftProposer proposer, Supplier<List<MemberAttributes>> published,
                      MembershipSettings settings, Runnable onPromoted) {
    this.membership = membership;
    this.proposer = proposer;
    this.published = published;
    this.settings = settings;
    this.onPromoted = onPromoted;
    proposer.onRemoved(() -> removedHere.complete(null));
  }

  /** Where calls go that this member, not being the leader, hands on. */
  void leaderCalls(LeaderCalls calls) {
    this.leader = calls;
  }

  public CompletableFuture<Member> add(List<String> peerUrls, boolean learner) {
    if (proposer.isLeader()) return call(() -> addHere(peerUrls, learner));
    return onLeader().thenCompose(l -> l.add(peerUrls, learner));
  }

  public CompletableFuture<Void> remove(long id) {
    if (proposer.isLeader()) return call(() -> removeHere(id));
    // the leader's answer may not reach this member when the leader itself left (it hands over, the new leader
    // removes it, and a removed member's frames stop): a removal this member has applied is the answer then
    return onLeader().thenCompose(l -> l.remove(id))
        .exceptionallyCompose(e -> membership.isRemoved(id) ? CompletableFuture.completedFuture(null)
            : CompletableFuture.failedFuture(e));
  }

  public CompletableFuture<Void> update(long id, List<String> peerUrls) {
    if (proposer.isLeader()) return call(() -> updateHere(id, peerUrls));
    return onLeader().thenCompose(l -> l.update(id, peerUrls));
  }

  public CompletableFuture<Void> promote(long id) {
    if (proposer.isLeader()) return call(() -> promoteHere(id));
    return onLeader().thenCompose(l -> l.promote(id));
  }

  private CompletableFuture<LeaderCalls> onLeader() {
    if (proposer.leaderId() == 0 || leader == null) return CompletableFuture.failedFuture(EtcdError.NO_LEADER.exception());
    return CompletableFuture.completedFuture(leader);
  }

  /** Runs a check-then-propose step, turning a refusal thrown by the checks into a failed future. */
  private static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> step) {
    try {
      return step.get();
    } catch (EtcdException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  // ---- on the leader ---------------------------------------------------------------------------------------------

  CompletableFuture<Member> addHere(List<String> peerUrls, boolean learner) {
    List<String> urls = validUrls(peerUrls);
    for (Member m : membership.members()) {
      for (String u : m.getPeerURLsList()) if (urls.contains(u)) throw EtcdError.PEER_URL_EXIST.exception();
    }
    if (learner && membership.members().stream().filter(Member::getIsLearner).count() >= settings.maxLearners()) {
      throw EtcdError.TOO_MANY_LEARNERS.exception();
    }
    if (settings.strictReconfigCheck()) {
      if (!learner && !readyToAddVoter()) throw EtcdError.MEMBER_NOT_ENOUGH_STARTED.exception();
      if (connectedVoters() < voters().size()) throw EtcdError.UNHEALTHY.exception();
    }
    Member m = Member.newBuilder().setID(membership.newMemberId(urls, System.currentTimeMillis()))
        .addAllPeerURLs(urls).setIsLearner(learner).build();
    return proposer.proposeConfChange(learner ? ConfChange.Type.ADD_LEARNER : ConfChange.Type.ADD_VOTER, m)
        .thenApply(v -> m);
  }

  CompletableFuture<Void> removeHere(long id) {
    Member m = membership.member(id);
    if (m == null) throw EtcdError.MEMBER_NOT_FOUND.exception();
    if (!m.getIsLearner()) {
      // removing the last voter would leave no one to commit anything, strict or not
      if (voters().size() == 1 || settings.strictReconfigCheck() && !readyToRemoveVoter(id)) {
        throw EtcdError.MEMBER_NOT_ENOUGH_STARTED.exception();
      }
      boolean downAlready = id != membership.localId() && proposer.activeSince(id) < 0;
      if (settings.strictReconfigCheck() && !downAlready) {
        int quorumOfRest = 1 + (voters().size() - 1) / 2;
        if (connectedVoters() - 1 < quorumOfRest) throw EtcdError.UNHEALTHY.exception();
      }
    }
    if (id == membership.localId()) {
      // the leader leaves: hand leadership to another voter first, then the new leader removes this member
      // a voter the leader hears from now, if there is one (a transfer to a member that is down only times out)
      long successor = voters().stream().filter(v -> v != id)
          .max(java.util.Comparator.comparing(v -> proposer.activeSince(v) >= 0)).orElseThrow();
      LOG.info(() -> String.format("removing the leader %x: transferring leadership to %x first", id, successor));
      // the new leader may refuse "unhealthy" until the other followers answered it once: ask again for a while
      long until = System.nanoTime() + 3_000_000_000L;
      // done when the new leader answers, or when this member applies its own removal (the answer to a removed
      // member may not arrive)
      return proposer.moveLeader(successor).thenCompose(v -> removeOnNewLeader(id, until))
          .applyToEither(removedHere, v -> v);
    }
    return proposer.proposeConfChange(ConfChange.Type.REMOVE, Member.newBuilder().setID(id).build());
  }

  private CompletableFuture<Void> removeOnNewLeader(long id, long untilNanos) {
    return remove(id).handle((v, e) -> {
      Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
      boolean retry = cause instanceof EtcdException ee && (ee.error() == EtcdError.UNHEALTHY
          || ee.error() == EtcdError.NO_LEADER || ee.error() == EtcdError.LEADER_CHANGED);
      if (e == null) return CompletableFuture.<Void>completedFuture(null);
      if (!retry || System.nanoTime() - untilNanos > 0) return CompletableFuture.<Void>failedFuture(cause);
      return CompletableFuture.supplyAsync(() -> null,
              CompletableFuture.delayedExecutor(200, java.util.concurrent.TimeUnit.MILLISECONDS))
          .thenCompose(x -> removeOnNewLeader(id, untilNanos));
    }).thenCompose(f -> f);
  }

  CompletableFuture<Void> updateHere(long id, List<String> peerUrls) {
    List<String> urls = validUrls(peerUrls);
    Member m = membership.member(id);
    if (m == null) throw EtcdError.MEMBER_NOT_FOUND.exception();
    for (Member other : membership.members()) {
      if (other.getID() == id) continue;
      for (String u : other.getPeerURLsList()) if (urls.contains(u)) throw EtcdError.PEER_URL_EXIST.exception();
    }
    return proposer.proposeConfChange(ConfChange.Type.UPDATE,
        Member.newBuilder().setID(id).addAllPeerURLs(urls).setIsLearner(m.getIsLearner()).build());
  }

  CompletableFuture<Void> promoteHere(long id) {
    Member m = membership.member(id);
    if (m == null) throw EtcdError.MEMBER_NOT_FOUND.exception();
    if (!m.getIsLearner()) throw EtcdError.MEMBER_NOT_LEARNER.exception();
    return proposer.coreStatus().thenCompose(status -> {
      checkInSync(status, id);
      if (settings.strictReconfigCheck() && !readyToPromote()) throw EtcdError.MEMBER_NOT_ENOUGH_STARTED.exception();
      return proposer.proposeConfChange(ConfChange.Type.ADD_VOTER, m.toBuilder().setIsLearner(false).build());
    }).thenRun(onPromoted);
  }

  /** etcd's isLearnerReady: the learner's match index is at least 90 % of the leader's. */
  private static void checkInSync(Status status, long id) {
    Status.Peer self = status.progress().get(status.id());
    if (self == null) throw EtcdError.NOT_LEADER.exception();
    Status.Peer learner = status.progress().get(id);
    if (learner != null && learner.match() < self.match() * READY_PERCENT) throw EtcdError.LEARNER_NOT_READY.exception();
  }

  /** The learners the leader would promote now ({@code --experimental-auto-promote-learners}). */
  void promoteReadyLearners() {
    if (!proposer.isLeader()) return;
    for (Member m : membership.members()) {
      if (!m.getIsLearner()) continue;
      call(() -> promoteHere(m.getID())).whenComplete((v, e) -> {
        if (e == null) LOG.info(() -> String.format("promoted learner %x, which is in sync", m.getID()));
      });
    }
  }

  // ---- --strict-reconfig-check, as etcd counts -------------------------------------------------------------------

  private List<Long> voters() {
    List<Long> out = new ArrayList<>();
    for (Member m : membership.members()) if (!m.getIsLearner()) out.add(m.getID());
    return out;
  }

  /** Members that published their name, i.e. have started serving (etcd's Member.IsStarted), this one included. */
  private Set<Long> started() {
    Set<Long> out = new HashSet<>();
    out.add(membership.localId());
    for (MemberAttributes a : published.get()) if (!a.getName().isEmpty()) out.add(a.getMemberId());
    return out;
  }

  /** Adding a voter keeps a quorum of started members (a one-member cluster may grow to two). */
  private boolean readyToAddVoter() {
    Set<Long> started = started();
    int members = 1;
    int up = 0;
    for (long v : voters()) {
      members++;
      if (started.contains(v)) up++;
    }
    if (up == 1 && members == 2) return true;
    return up >= members / 2 + 1;
  }

  private boolean readyToRemoveVoter(long id) {
    Set<Long> started = started();
    int members = 0;
    int up = 0;
    for (long v : voters()) {
      if (v == id) continue;
      members++;
      if (started.contains(v)) up++;
    }
    return up >= members / 2 + 1;
  }

  private boolean readyToPromote() {
    Set<Long> started = started();
    int members = 1;
    int up = 1; // the learner being promoted
    for (long v : voters()) {
      members++;
      if (started.contains(v)) up++;
    }
    return up >= members / 2 + 1;
  }

  /**
   * Voters the leader has heard from without a gap for the last HealthInterval, itself included. Followers do not
   * talk to each other, so a leader of less than that counts the peers it has heard from without a gap since it took
   * over (within a heartbeat-ish grace, {@link #NEW_LEADER_GRACE_NANOS}).
   */
  private int connectedVoters() {
    long now = System.nanoTime();
    long healthySince = now - HEALTH_INTERVAL_NANOS;
    long newLeaderSince = proposer.leaderSinceNanos() + NEW_LEADER_GRACE_NANOS;
    int n = 0;
    for (long v : voters()) {
      if (v == membership.localId()) {
        n++;
        continue;
      }
      long active = proposer.activeSince(v);
      if (active >= 0 && (active - healthySince <= 0 || active - newLeaderSince <= 0)) n++;
    }
    return n;
  }

  /** etcd's types.NewURLs: absolute http(s) URLs of the form scheme://host:port, no path. */
  static List<String> validUrls(List<String> urls) {
    if (urls.isEmpty()) throw EtcdError.MEMBER_BAD_URLS.exception();
    List<String> out = new ArrayList<>();
    for (String s : urls) {
      try {
        URI u = new URI(s.trim());
        boolean ok = ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
            && u.getPort() > 0 && (u.getPath() == null || u.getPath().isEmpty()) && u.getQuery() == null;
        if (!ok) throw EtcdError.MEMBER_BAD_URLS.exception();
        out.add(u.toString());
      } catch (URISyntaxException e) {
        throw EtcdError.MEMBER_BAD_URLS.exception();
      }
    }
    out.sort(null);
    return out;
  }
}
