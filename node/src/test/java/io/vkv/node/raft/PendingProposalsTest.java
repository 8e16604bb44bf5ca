package io.vkv.node.raft;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.EtcdException;
import io.vkv.consensus.ConfState;
import io.vkv.consensus.Config;
import io.vkv.consensus.MemoryStorage;
import io.vkv.consensus.RawNode;
import io.vkv.consensus.SoftState;
import io.vkv.node.apply.Waiters;
import io.vkv.store.ApplyResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Leader-only proposals (an expired lease's revoke): refused unless this member leads, never held for a leader to
 * come. Regression for the fault run with seed 18: a leader paused past its leases' TTL woke up, its lessor found
 * every lease expired by its stale clock, and the revokes it proposed were forwarded to the new leader, which had
 * been renewing those leases — they were revoked up to 2 s before their TTL ran out. (That a leader's revokes
 * still go through is shown by LeaseClusterTest and by every fault run, where every lapsed lease's key goes.)
 */
class PendingProposalsTest {
  final Waiters waiters = new Waiters();
  final PendingProposals pending = new PendingProposals(waiters, TimeUnit.SECONDS.toNanos(5), TimeUnit.SECONDS.toNanos(5));
  final RawNode node = new RawNode(Config.defaults(1), MemoryStorage.bootstrap(ConfState.ofVoters(1L)));

  CompletableFuture<ApplyResult> submit(long id, boolean leaderOnly) {
    CompletableFuture<ApplyResult> f = waiters.register(id);
    pending.submit(node, new Intake.Proposal(id, new byte[] {1}, leaderOnly), System.nanoTime());
    return f;
  }

  @Test
  void aLeaderOnlyProposalIsRefusedByANonLeaderInsteadOfWaitingForOne() throws Exception {
    assertFalse(node.status().role() == SoftState.Role.LEADER);
    CompletableFuture<ApplyResult> revoke = submit(1, true);
    assertTrue(revoke.isCompletedExceptionally(), "refused at once");
    try {
      revoke.get();
    } catch (ExecutionException e) {
      assertTrue(e.getCause() instanceof EtcdException, e.toString());
      assertTrue(e.getCause().getMessage().contains("not leader"), e.getCause().getMessage());
    }
    // an ordinary write waits for a leader (and would be forwarded to it)
    CompletableFuture<ApplyResult> put = submit(2, false);
    assertFalse(put.isDone());
  }
}
