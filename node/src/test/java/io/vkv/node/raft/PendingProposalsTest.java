package io.vkv.node.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.EtcdException;
import io.vkv.consensus.ConfState;
import io.vkv.consensus.Config;
import io.vkv.consensus.Entry;
import io.vkv.consensus.MemoryStorage;
import io.vkv.consensus.Message;
import io.vkv.consensus.MessageType;
import io.vkv.consensus.RawNode;
import io.vkv.consensus.Ready;
import io.vkv.consensus.SoftState;
import io.vkv.node.apply.Waiters;
import io.vkv.store.ApplyResult;
import java.util.ArrayList;
import java.util.List;
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

  private static Intake.Proposal proposal(long id, boolean leaderOnly) {
    return new Intake.Proposal(id, new byte[] {(byte) id}, leaderOnly);
  }

  /**
   * Member 1 of three, made leader by granting its (pre-)votes, its followers caught up; its Readys so far are
   * taken as persisted and advanced.
   */
  private static RawNode leaderOfThree() {
    MemoryStorage log = MemoryStorage.bootstrap(ConfState.ofVoters(1L, 2L, 3L));
    RawNode n = new RawNode(Config.defaults(1), log);
    n.campaign();
    for (int round = 0; round < 4 && n.status().role() != SoftState.Role.LEADER; round++) {
      Ready rd = n.ready();
      List<Message> asks = new ArrayList<>(rd.messages());
      persistAndAdvance(n, log, rd);
      for (Message m : asks) {
        MessageType answer = m.type() == MessageType.PRE_VOTE ? MessageType.PRE_VOTE_RESP : MessageType.VOTE_RESP;
        if (m.type() == MessageType.PRE_VOTE || m.type() == MessageType.VOTE) {
          n.step(Message.builder(answer).from(m.to()).to(1).term(m.term()).build());
        }
      }
    }
    assertEquals(SoftState.Role.LEADER, n.status().role());
    // the followers acknowledge the leader's first (empty) entry, so it replicates to them instead of probing
    Ready rd = n.ready();
    List<Message> probes = new ArrayList<>(rd.messages());
    persistAndAdvance(n, log, rd);
    for (Message m : probes) {
      if (m.type() != MessageType.APP) continue;
      n.step(Message.builder(MessageType.APP_RESP).from(m.to()).to(1).term(m.term())
          .index(m.index() + m.entries().size()).build());
    }
    if (n.hasReady()) persistAndAdvance(n, log, n.ready());
    return n;
  }

  private static void persistAndAdvance(RawNode n, MemoryStorage log, Ready rd) {
    if (rd.hardState() != null) log.setHardState(rd.hardState());
    log.append(rd.entries());
    n.advance(rd);
  }

  @Test
  void aRunOfProposalsReachesEachFollowerAsOneAppend() {
    RawNode leader = leaderOfThree();
    List<Intake.Proposal> run = List.of(proposal(11, false), proposal(12, false), proposal(13, false));
    run.forEach(p -> waiters.register(p.id()));
    pending.submitAll(leader, run, System.nanoTime());
    Ready rd = leader.ready();
    List<Message> appends = rd.messages().stream()
        .filter(m -> m.type() == MessageType.APP && !m.entries().isEmpty()).toList();
    assertEquals(2, appends.size(), "one APP per follower: " + appends);
    for (Message m : appends) {
      assertEquals(List.of(11, 12, 13), m.entries().stream().map(e -> (int) e.data()[0]).toList());
    }
    assertEquals(List.of(11, 12, 13), rd.entries().stream().filter(e -> e.type() == Entry.Type.NORMAL
        && e.data().length == 1).map(e -> (int) e.data()[0]).toList());
  }

  @Test
  void withoutALeaderARunIsHeldInOrderAndALeaderOnlyOneAmongItIsRefused() {
    List<Intake.Proposal> ps = List.of(proposal(21, false), proposal(22, true), proposal(23, false),
        proposal(24, false));
    List<CompletableFuture<ApplyResult>> results = ps.stream().map(p -> waiters.register(p.id())).toList();
    pending.submitAll(node, ps, System.nanoTime());
    assertTrue(results.get(1).isCompletedExceptionally(), "the leader-only one is refused");
    for (int i : new int[] {0, 2, 3}) assertFalse(results.get(i).isDone(), "proposal " + ps.get(i).id() + " waits");
    // once this member leads, the held ones are proposed in arrival order
    node.campaign();
    Ready rd = node.ready();
    node.advance(rd);
    assertEquals(SoftState.Role.LEADER, node.status().role());
    pending.retryHeld(node, System.nanoTime());
    assertEquals(List.of(21, 23, 24), node.ready().entries().stream().filter(e -> e.data().length == 1)
        .map(e -> (int) e.data()[0]).toList());
  }

  @Test
  void aFollowerForwardsARunAsOneMessageAndSplitsItPastTheByteLimit() {
    RawNode follower = new RawNode(Config.defaults(1), MemoryStorage.bootstrap(ConfState.ofVoters(1L, 2L, 3L)));
    follower.step(Message.builder(MessageType.HEARTBEAT).from(2).to(1).term(2).build()); // leader 2
    follower.advance(follower.ready());
    int big = PendingProposals.MAX_BATCH_BYTES / 2 + 1;
    List<Intake.Proposal> ps = List.of(proposal(31, false), proposal(32, false),
        new Intake.Proposal(33, new byte[big], false), new Intake.Proposal(34, new byte[big], false),
        proposal(35, false));
    ps.forEach(p -> waiters.register(p.id()));
    pending.submitAll(follower, ps, System.nanoTime());
    List<List<Integer>> forwarded = follower.ready().messages().stream()
        .filter(m -> m.type() == MessageType.PROP && m.to() == 2)
        .map(m -> m.entries().stream().map(e -> e.data().length == big ? -1 : (int) e.data()[0]).toList())
        .toList();
    // 31, 32 and the first big one fit in one batch; the second big one would pass the limit, so it starts another
    assertEquals(List.of(List.of(31, 32, -1), List.of(-1, 35)), forwarded);
  }
}
