package io.vkv.node.lease;

import io.vkv.api.etcdserverpb.LeaseCheckpoint;
import io.vkv.api.etcdserverpb.LeaseCheckpointRequest;
import io.vkv.api.etcdserverpb.LeaseRevokeRequest;
import io.vkv.api.internal.InternalRequest;
import io.vkv.node.apply.Proposer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The leader's schedule around the {@link Lessor}: turns expired leases into revokes proposed through Raft, at
 * most {@code revokesPerSecond} and never more than that many unapplied at once (so that a mass expiry neither
 * floods the log ahead of client writes nor stalls the applier), and periodically writes remaining TTLs into
 * the log as checkpoints. A plain class: the node calls {@link #revokeExpired} and {@link #checkpoint} from
 * timers; tests call them directly.
 */
public final class LeaseExpiry {
  private static final Logger LOG = Logger.getLogger(LeaseExpiry.class.getName());
  /** Checkpoints per log entry, as etcd's lessor batches them. */
  static final int CHECKPOINTS_PER_ENTRY = 1000;

  private final Lessor lessor;
  private final Proposer proposer;
  private final int revokesPerSecond;
  private final AtomicInteger unapplied = new AtomicInteger();
  private double allowance;
  private long lastRunNanos = -1;

  public LeaseExpiry(Lessor lessor, Proposer proposer, int revokesPerSecond) {
    this.lessor = lessor;
    this.proposer = proposer;
    this.revokesPerSecond = revokesPerSecond;
  }

  /**
   * Proposes a revoke for each expired lease the rate allows: the allowance grows by {@code revokesPerSecond}
   * per second elapsed since the last call, up to half a second's worth (etcd's burst).
   *
   * @return how many revokes were proposed
   */
  public synchronized int revokeExpired(long nowNanos) {
    if (!lessor.isPrimary()) {
      lastRunNanos = -1;
      return 0;
    }
    double elapsed = lastRunNanos < 0 ? 0.5 : (nowNanos - lastRunNanos) / 1e9;
    lastRunNanos = nowNanos;
    allowance = Math.min(Math.max(1, revokesPerSecond / 2.0), allowance + elapsed * revokesPerSecond);
    int budget = (int) Math.min(allowance, revokesPerSecond - unapplied.get());
    if (budget <= 0) return 0;
    List<Long> expired = lessor.expired(budget);
    allowance -= expired.size();
    for (long id : expired) {
      unapplied.incrementAndGet();
      // as the leader only: a paused ex-leader waking up finds every lease expired by its stale clock, and its
      // revokes must not be forwarded to the new leader, which has been renewing them (fault run seed 18)
      proposer.proposeAsLeader(InternalRequest.newBuilder().setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(id)).build())
          .whenComplete((r, e) -> {
            unapplied.decrementAndGet();
            if (e != null) LOG.log(Level.FINE, "revoking expired lease " + Long.toHexString(id) + " failed (retried)", e);
          });
    }
    return expired.size();
  }

  /** Writes the remaining TTL of every lease that changed since its last checkpoint, 1000 per log entry. */
  public int checkpoint() {
    List<LeaseCheckpoint> all = lessor.checkpoints();
    for (int from = 0; from < all.size(); from += CHECKPOINTS_PER_ENTRY) {
      List<LeaseCheckpoint> chunk = all.subList(from, Math.min(all.size(), from + CHECKPOINTS_PER_ENTRY));
      proposer.propose(InternalRequest.newBuilder()
          .setLeaseCheckpoint(LeaseCheckpointRequest.newBuilder().addAllCheckpoints(chunk)).build())
          .whenComplete((r, e) -> {
            if (e != null) LOG.log(Level.FINE, "a lease checkpoint failed (the next one retries)", e);
          });
    }
    return all.size();
  }

  /** Revokes proposed and not yet applied (or failed). */
  public int unapplied() {
    return unapplied.get();
  }
}
