package io.vkv.node.raft;

import io.vkv.api.EtcdError;
import io.vkv.api.EtcdException;
import io.vkv.consensus.RawNode;
import io.vkv.consensus.SoftState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Maintenance.MoveLeader on the Raft loop, with etcd's semantics: only the leader accepts it, the target must be
 * a voting member, and the call waits until the target leads or {@code timeoutNanos} passed. (The core gives up a
 * transfer after one election timeout; the caller keeps waiting, as etcd's does, in case an election still makes
 * the target leader.) Loop thread only.
 */
final class LeaderTransfers {
  private record Pending(long target, long deadline, CompletableFuture<Void> done) {}

  private final long timeoutNanos;
  private final List<Pending> pending = new ArrayList<>();

  LeaderTransfers(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
  }

  void start(RawNode node, List<Long> voters, long target, CompletableFuture<Void> done, long now) {
    var st = node.status();
    if (st.role() != SoftState.Role.LEADER) {
      done.completeExceptionally(EtcdError.NOT_LEADER.exception());
    } else if (!voters.contains(target)) {
      done.completeExceptionally(EtcdError.BAD_LEADER_TRANSFEREE.exception());
    } else if (target == st.id()) {
      done.complete(null); // already there
    } else {
      node.transferLeadership(target);
      pending.add(new Pending(target, now + timeoutNanos, done));
    }
  }

  /** The leader this member knows changed: completes the transfers that reached their target. */
  void leaderIs(long leader) {
    for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (p.target() == leader) {
        it.remove();
        p.done().complete(null);
      }
    }
  }

  void expire(long now) {
    for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (now - p.deadline() >= 0) {
        it.remove();
        p.done().completeExceptionally(EtcdError.TIMEOUT_LEADER_TRANSFER.exception());
      }
    }
  }

  void failAll(EtcdException cause) {
    for (Pending p : pending) p.done().completeExceptionally(cause);
    pending.clear();
  }
}
