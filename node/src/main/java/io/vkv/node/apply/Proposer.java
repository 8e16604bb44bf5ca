package io.vkv.node.apply;

import io.vkv.api.internal.InternalRequest;
import io.vkv.store.ApplyResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The one door every write goes through. The future completes once the request has been made durable, ordered
 * and applied to the store (or failed). This is the seam where the consensus layer plugs in.
 */
public interface Proposer extends AutoCloseable {
  /** The request's id is assigned by the proposer; callers leave it 0. */
  CompletableFuture<ApplyResult> propose(InternalRequest request);

  /**
   * Like {@link #propose(InternalRequest)}, but the future is completed by a task on {@code completeOn} (e.g. the
   * caller's event loop), shared by the results of one applied batch that go to the same executor instance.
   */
  default CompletableFuture<ApplyResult> propose(InternalRequest request, Executor completeOn) {
    return propose(request);
  }

  /**
   * Like {@link #propose(InternalRequest)}, for what only the leader decides (an expired lease's revoke): failed with
   * "not leader" unless this member still leads when the proposal reaches the consensus core — never forwarded to
   * another leader, never held for one. A leader that was paused and has not yet heard of its successor may still
   * take itself for the leader; what it proposes then is appended in its old term and can never commit.
   */
  default CompletableFuture<ApplyResult> proposeAsLeader(InternalRequest request) {
    return propose(request);
  }

  /**
   * Completes once a linearizable read may be served from the local store (ReadIndex: the applied index has
   * reached the leader's commit index as of the call). A member that decides alone can always read at once.
   */
  default CompletableFuture<Void> readBarrier() {
    return CompletableFuture.completedFuture(null);
  }

  /** The leader's member id, 0 while none is known. */
  default long leaderId() {
    return 0;
  }

  /** Maintenance.MoveLeader: completes once {@code targetId} leads (only the leader accepts it). */
  default CompletableFuture<Void> moveLeader(long targetId) {
    return CompletableFuture.failedFuture(io.vkv.api.EtcdError.NOT_LEADER.exception());
  }

  /** Maintenance.Defragment: rewrites this member's store without its free pages, in order with the applied entries. */
  default CompletableFuture<Void> defragment() {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("defragment"));
  }

  /** Index of the last log entry known to be committed (what etcd reports as raftIndex). */
  default long committedIndex() {
    return appliedIndex();
  }

  /** Index of the last log entry applied to the store. */
  long appliedIndex();

  /** Index of the last entry in the log (applied or not). */
  long lastIndex();

  /** Raft term (1 for a member that has never seen an election). */
  long term();

  @Override
  void close();
}
