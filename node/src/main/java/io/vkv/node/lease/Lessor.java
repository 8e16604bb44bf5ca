package io.vkv.node.lease;

import io.vkv.api.etcdserverpb.LeaseCheckpoint;
import io.vkv.store.LeaseRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Every member's view of the leases (kept in step with the applied log) plus, on the leader only, their expiry
 * times. The replicated state never reads a clock: this class does, through {@code clock}, so tests drive it by
 * hand. Expiry and renewal happen here on the leader; the resulting revokes and checkpoints go through Raft.
 * Thread-safe (applier thread, Raft loop, event loops and the expiry timer all call in).
 */
public final class Lessor {
  /** An expired lease whose revoke was proposed is offered again after this long if it still exists. */
  static final long REVOKE_RETRY_NANOS = TimeUnit.SECONDS.toNanos(3);

  private static final class Lease {
    final long id;
    final long ttl;
    /** Remaining TTL in the last applied checkpoint; 0 if none since the grant or the last renewal. */
    long checkpointed;
    /** Leader only: when it expires (clock nanos). */
    long expiry;
    /** Leader only: a revoke was proposed and not yet applied. */
    boolean revoking;

    Lease(long id, long ttl, long checkpointed) {
      this.id = id;
      this.ttl = ttl;
      this.checkpointed = checkpointed;
    }
  }

  /** The answer to a renewal: the TTL granted again, and whether the log still holds a checkpoint to clear. */
  public record Renewal(long ttl, boolean clearCheckpoint) {}

  /** Remaining and granted TTL in seconds, as TimeToLive reports them. */
  public record Remaining(long ttl, long grantedTtl) {}

  private final LongSupplier clock;
  private final long extendNanos;
  private final Map<Long, Lease> leases = new HashMap<>();
  /** (expiry, id) pairs, leader only; stale pairs (renewed or revoked leases) are skipped when they come up. */
  private final PriorityQueue<long[]> queue = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
  private boolean primary;
  /** Renewals of expired leases waiting for the revoke to apply (etcd answers them only then), by lease id. */
  private final Map<Long, List<CompletableFuture<Void>>> goneWaiters = new HashMap<>();

  /**
   * @param clock nanoseconds, monotonic
   * @param extendNanos how much a new leader adds to every lease before it may expire any: one election timeout,
   *     so that a lease cannot expire because of the time it took to elect the leader
   */
  public Lessor(LongSupplier clock, long extendNanos) {
    this.clock = clock;
    this.extendNanos = extendNanos;
  }

  /** The leases in the store when the member starts. */
  public synchronized void load(List<LeaseRecord> stored) {
    for (LeaseRecord r : stored) leases.put(r.id(), new Lease(r.id(), r.ttl(), r.remainingTtl()));
  }

  /**
   * The store was replaced by a snapshot: the leases are now exactly the stored ones (a leader would not install
   * a snapshot, but if this member is primary the new leases get fresh expiry times as on promotion).
   */
  public void reload(List<LeaseRecord> stored) {
    List<CompletableFuture<Void>> gone = new ArrayList<>();
    synchronized (this) {
      leases.clear();
      load(stored);
      if (primary) promote();
      goneWaiters.entrySet().removeIf(e -> {
        if (leases.containsKey(e.getKey())) return false;
        gone.addAll(e.getValue());
        return true;
      });
    }
    gone.forEach(f -> f.complete(null));
  }

  // ---- applied log entries (every member) ----

  public synchronized void granted(long id, long ttl) {
    Lease l = new Lease(id, ttl, 0);
    leases.put(id, l);
    if (primary) schedule(l, clock.getAsLong() + seconds(ttl));
  }

  public void revoked(long id) {
    List<CompletableFuture<Void>> waiting;
    synchronized (this) {
      leases.remove(id);
      waiting = goneWaiters.remove(id);
    }
    if (waiting != null) waiting.forEach(f -> f.complete(null)); // outside the lock: completions run callbacks
  }

  /** remaining 0 clears the checkpoint (the lease was renewed). */
  public synchronized void checkpointed(long id, long remaining) {
    Lease l = leases.get(id);
    if (l != null) l.checkpointed = remaining;
  }

  // ---- leadership ----

  /**
   * This member became leader: every lease gets its checkpointed remaining TTL (or its full TTL) from now, plus
   * one election timeout, so that a deposed leader's last view can never make a lease expire early.
   */
  public synchronized void promote() {
    primary = true;
    queue.clear();
    long now = clock.getAsLong();
    for (Lease l : leases.values()) {
      l.revoking = false;
      schedule(l, now + seconds(l.checkpointed > 0 ? l.checkpointed : l.ttl) + extendNanos);
    }
  }

  public void demote() {
    List<CompletableFuture<Void>> waiting = new ArrayList<>();
    synchronized (this) {
      primary = false;
      queue.clear();
      goneWaiters.values().forEach(waiting::addAll);
      goneWaiters.clear();
    }
    waiting.forEach(f -> f.completeExceptionally(new NotLeaderException()));
  }

  public synchronized boolean isPrimary() {
    return primary;
  }

  // ---- leader-only operations ----

  /** Renews a lease for its full TTL; null if it does not exist or has already expired. */
  public synchronized Renewal renew(long id) {
    requirePrimary();
    Lease l = leases.get(id);
    long now = clock.getAsLong();
    if (l == null || l.revoking || l.expiry <= now) return null;
    schedule(l, now + seconds(l.ttl));
    return new Renewal(l.ttl, l.checkpointed != 0);
  }

  /**
   * Completes once the lease no longer exists here (its revoke applied), at once if it does not exist now; fails
   * with {@link NotLeaderException} if this member stops leading first (the new leader decides then).
   */
  public synchronized CompletableFuture<Void> whenGone(long id) {
    if (!leases.containsKey(id)) return CompletableFuture.completedFuture(null);
    if (!primary) return CompletableFuture.failedFuture(new NotLeaderException());
    CompletableFuture<Void> gone = new CompletableFuture<>();
    goneWaiters.computeIfAbsent(id, k -> new ArrayList<>()).add(gone);
    return gone;
  }

  /** Null if the lease does not exist or has expired. */
  public synchronized Remaining remaining(long id) {
    requirePrimary();
    Lease l = leases.get(id);
    long now = clock.getAsLong();
    if (l == null || l.revoking || l.expiry <= now) return null;
    return new Remaining(TimeUnit.NANOSECONDS.toSeconds(l.expiry - now), l.ttl);
  }

  /**
   * Up to {@code max} expired leases to revoke now, oldest expiry first. Each is offered once; if it still exists
   * {@link #REVOKE_RETRY_NANOS} later (the revoke was lost), it is offered again.
   */
  public synchronized List<Long> expired(int max) {
    List<Long> out = new ArrayList<>();
    if (!primary) return out;
    long now = clock.getAsLong();
    while (out.size() < max && !queue.isEmpty() && queue.peek()[0] <= now) {
      long[] e = queue.poll();
      Lease l = leases.get(e[1]);
      if (l == null || l.expiry != e[0]) continue; // revoked or renewed since
      l.revoking = true;
      l.expiry = now + REVOKE_RETRY_NANOS;
      queue.add(new long[] {l.expiry, l.id});
      out.add(l.id);
    }
    return out;
  }

  /**
   * The remaining TTL (whole seconds, rounded up) of every lease that has run for at least a second and whose
   * value differs from its last checkpoint, for the leader to write into the log.
   */
  public synchronized List<LeaseCheckpoint> checkpoints() {
    List<LeaseCheckpoint> out = new ArrayList<>();
    if (!primary) return out;
    long now = clock.getAsLong();
    for (Lease l : leases.values()) {
      if (l.revoking || l.expiry <= now) continue;
      long left = (l.expiry - now + 999_999_999) / 1_000_000_000;
      if (left >= l.ttl || left == l.checkpointed) continue;
      out.add(LeaseCheckpoint.newBuilder().setID(l.id).setRemainingTTL(left).build());
    }
    return out;
  }

  public synchronized boolean exists(long id) {
    return leases.containsKey(id);
  }

  public synchronized int size() {
    return leases.size();
  }

  private void schedule(Lease l, long expiry) {
    l.expiry = expiry;
    queue.add(new long[] {expiry, l.id});
    // every renewal leaves a stale pair behind: rebuild before they outnumber the leases
    if (queue.size() > 2 * leases.size() + 1024) {
      queue.clear();
      for (Lease x : leases.values()) queue.add(new long[] {x.expiry, x.id});
    }
  }

  private void requirePrimary() {
    if (!primary) throw new NotLeaderException();
  }

  private static long seconds(long s) {
    return TimeUnit.SECONDS.toNanos(s);
  }

  /** The call must go to the leader; the caller forwards it or answers "not leader". */
  public static final class NotLeaderException extends RuntimeException {
    NotLeaderException() {
      super("not the leader", null, false, false);
    }
  }
}
