package io.vkv.consensus;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules of the Raft paper (Ongaro &amp; Ousterhout 2014), one test per rule, on a bare Raft. */
class RaftPaperTest {

  private static Raft raft(long id, MemoryStorage s) {
    return new Raft(Config.defaults(id).withPreVote(false).withCheckQuorum(false), s);
  }

  private static MemoryStorage three() {
    return MemoryStorage.bootstrap(ConfState.ofVoters(1L, 2L, 3L));
  }

  private static List<Message> drain(Raft r) {
    List<Message> all = new ArrayList<>(r.msgs);
    all.addAll(r.msgsAfterPersist);
    r.msgs.clear();
    r.msgsAfterPersist.clear();
    return all;
  }

  /** §5.1: a server seeing a larger term adopts it and reverts to follower. */
  @Test
  void largerTermMakesFollower() {
    Raft r = raft(1, three());
    r.step(Message.builder(MessageType.HUP).from(1).build());
    assertEquals(SoftState.Role.CANDIDATE, r.role);
    r.step(Message.builder(MessageType.APP).from(2).to(1).term(r.term + 1).index(1).logTerm(1).build());
    assertEquals(SoftState.Role.FOLLOWER, r.role);
    assertEquals(3, r.term);
    assertEquals(2, r.lead);
  }

  /** §5.2: a follower times out within [et, 2et) ticks and starts an election, voting for itself. */
  @Test
  void followerStartsElectionOnTimeout() {
    Raft r = raft(1, three());
    int ticks = 0;
    while (r.role == SoftState.Role.FOLLOWER) {
      r.tick();
      ticks++;
    }
    assertTrue(ticks >= 10 && ticks < 20, "timeout " + ticks);
    assertEquals(SoftState.Role.CANDIDATE, r.role);
    assertEquals(1, r.vote);
    long votes = drain(r).stream().filter(m -> m.type() == MessageType.VOTE).count();
    assertEquals(2, votes);
  }

  /** §5.2: at most one vote per term, first come first served. */
  @Test
  void votesOncePerTerm() {
    Raft r = raft(1, three());
    r.step(Message.builder(MessageType.VOTE).from(2).to(1).term(2).index(1).logTerm(1).build());
    r.step(Message.builder(MessageType.VOTE).from(3).to(1).term(2).index(1).logTerm(1).build());
    List<Message> out = drain(r);
    assertFalse(out.get(0).reject());
    assertTrue(out.get(1).reject());
    assertEquals(2, r.vote);
  }

  /** §5.3: a follower rejects an APP whose previous entry it lacks, and hints where to retry. */
  @Test
  void followerRejectsMismatchedPrev() {
    Raft r = raft(1, three());
    r.step(Message.builder(MessageType.APP).from(2).to(1).term(2).index(5).logTerm(2).build());
    Message resp = drain(r).get(0);
    assertTrue(resp.reject());
    assertEquals(1, resp.rejectHint());
  }

  /** §5.4.1: a voter denies a candidate whose log is less up to date. */
  @Test
  void deniesVoteToStaleLog() {
    MemoryStorage s = three();
    s.append(List.of(Entry.normal(2, 2, new byte[0])));
    Raft r = raft(1, s);
    r.step(Message.builder(MessageType.VOTE).from(2).to(1).term(3).index(5).logTerm(1).build());
    assertTrue(drain(r).get(0).reject());
  }

  /** §5.4.2: a leader never commits an entry of a previous term by counting replicas. */
  @Test
  void leaderCommitsOnlyCurrentTermByCounting() {
    MemoryStorage s = three();
    s.append(List.of(Entry.normal(2, 1, "old".getBytes())));
    s.setHardState(new HardState(1, 0, 1));
    Raft r = raft(1, s);
    r.step(Message.builder(MessageType.HUP).from(1).build());
    r.step(Message.builder(MessageType.VOTE_RESP).from(1).to(1).term(r.term).build());
    r.step(Message.builder(MessageType.VOTE_RESP).from(2).to(1).term(r.term).build());
    assertEquals(SoftState.Role.LEADER, r.role);
    // Follower 2 acknowledges only the old entry: not committed although a majority holds it.
    r.step(Message.builder(MessageType.APP_RESP).from(2).to(1).term(r.term).index(2).build());
    assertEquals(1, r.log.committed);
    // Once the leader's no-op (index 3) is durable and acked, everything up to it commits.
    r.log.unstable.stableTo(3, r.term);
    s.append(List.of(Entry.normal(3, r.term, new byte[0])));
    r.onDurable();
    r.step(Message.builder(MessageType.APP_RESP).from(2).to(1).term(r.term).index(3).build());
    assertEquals(3, r.log.committed);
  }

  /** §5.3: a leader counts its own entries only once they are durable (thesis §10.2.1). */
  @Test
  void singleNodeCommitsAfterAdvance() {
    MemoryStorage s = MemoryStorage.bootstrap(ConfState.ofVoters(1L));
    RawNode n = new RawNode(Config.defaults(1), s);
    n.campaign();
    for (int i = 0; i < 5 && n.status().commit() < 2; i++) {
      Ready rd = n.ready();
      s.append(rd.entries());
      if (rd.hardState() != null) {
        s.setHardState(rd.hardState());
      }
      assertTrue(rd.committedEntries().stream().allMatch(e -> e.index() <= s.lastIndex()));
      n.advance(rd);
    }
    assertEquals(SoftState.Role.LEADER, n.status().role());
    assertEquals(2, n.status().commit());
  }

  /**
   * A Ready must be synced when it carries entries or a new term or vote; one that only moves the commit index
   * need not be (etcd's MustSync), so a committed write costs one fsync, not two.
   */
  @Test
  void onlyEntriesTermAndVoteMustBeSynced() {
    MemoryStorage s = MemoryStorage.bootstrap(ConfState.ofVoters(1L));
    RawNode n = new RawNode(Config.defaults(1), s);
    n.campaign();
    List<Ready> readies = new ArrayList<>();
    for (int i = 0; i < 10 && n.hasReady(); i++) {
      Ready rd = n.ready();
      readies.add(rd);
      s.append(rd.entries());
      if (rd.hardState() != null) s.setHardState(rd.hardState());
      n.advance(rd);
    }
    assertEquals(2, n.status().commit());
    HardState before = HardState.EMPTY;
    boolean sawCommitOnly = false;
    for (Ready rd : readies) {
      HardState hs = rd.hardState() == null ? before : rd.hardState();
      boolean termOrVote = hs.term() != before.term() || hs.vote() != before.vote();
      assertEquals(!rd.entries().isEmpty() || termOrVote, rd.mustSync(), rd.toString());
      sawCommitOnly |= rd.hardState() != null && !rd.mustSync() && rd.hardState().commit() > before.commit();
      before = hs;
    }
    assertTrue(sawCommitOnly, "the no-op's commit came in a Ready of its own without a sync: " + readies);
  }
}
