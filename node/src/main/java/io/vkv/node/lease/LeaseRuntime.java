package io.vkv.node.lease;

import io.vertx.core.Vertx;
import io.vkv.node.NodeConfig;
import io.vkv.node.apply.Applier;
import io.vkv.node.raft.RaftProposer;
import io.vkv.store.MvccReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A member's leases: the {@link Lessor} fed by the applier, the leader's expiry and checkpoint timers, the
 * follower-to-leader forwarding, the minimum TTL and the server's choice of lease ids.
 */
public final class LeaseRuntime {
  /** etcd checks for expired leases every 500 ms; a shorter period keeps expiry closer to the TTL. */
  static final long EXPIRY_CHECK_MS = 100;

  private final NodeConfig config;
  private final Lessor lessor;
  private final long minTtl;
  private final AtomicLong nextId;
  private final List<Long> timers = new ArrayList<>();
  private LeaderLeases leader;
  private LeaseExpiry expiry;
  private Vertx vertx;

  private LeaseRuntime(NodeConfig config, Lessor lessor, long memberId) {
    this.config = config;
    this.lessor = lessor;
    this.minTtl = LeaseSettings.minTtlSeconds(config.heartbeatIntervalMs(), config.electionTimeoutMs());
    // like etcd's request ids: the member in the high bits, then time, then a counter; kept positive
    this.nextId = new AtomicLong(((memberId & 0x7FFFL) << 48) | ((System.currentTimeMillis() & 0xFFFFFFFFFFL) << 8));
  }

  /** Loads the stored leases and hooks the lessor to the applier; call before anything more is applied. */
  public static LeaseRuntime attach(NodeConfig config, MvccReader store, Applier applier, long memberId) {
    Lessor lessor = new Lessor(System::nanoTime, TimeUnit.MILLISECONDS.toNanos(config.electionTimeoutMs()));
    lessor.load(store.leases());
    applier.addEntryListener(new LessorFeeder(lessor));
    applier.addRestoreListener(() -> lessor.reload(store.leases()));
    return new LeaseRuntime(config, lessor, memberId);
  }

  /** Before the Raft loop starts: the lessor expires leases only while this member is the leader. */
  public void follow(RaftProposer proposer) {
    proposer.onRoleChange(isLeader -> {
      if (isLeader) lessor.promote();
      else lessor.demote();
    });
  }

  /** Once the Raft loop runs: answer forwarded calls, start the leader's expiry and checkpoint timers. */
  public void start(Vertx vertx, RaftProposer proposer) {
    this.vertx = vertx;
    this.leader = new LeaderLeases(vertx, lessor, proposer, 3 * config.electionTimeoutMs());
    this.expiry = new LeaseExpiry(lessor, proposer, config.lease().revokesPerSecond());
    timers.add(vertx.setPeriodic(EXPIRY_CHECK_MS, t -> expiry.revokeExpired(System.nanoTime())));
    timers.add(vertx.setPeriodic(config.lease().checkpointIntervalMs(), t -> expiry.checkpoint()));
  }

  public void stop() {
    if (vertx != null) timers.forEach(vertx::cancelTimer);
    timers.clear();
  }

  public Lessor lessor() {
    return lessor;
  }

  public LeaderLeases leader() {
    return leader;
  }

  public long minTtl() {
    return minTtl;
  }

  /** A server-chosen lease id (never 0, never negative). */
  public long newId() {
    return nextId.incrementAndGet() & Long.MAX_VALUE;
  }
}
