package io.vkv.consensus;

import static org.junit.jupiter.api.Assertions.*;

import io.vkv.consensus.ConfChange.Type;
import io.vkv.consensus.SoftState.Role;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Membership changes on RawNodes driven by a small loss-free in-memory network. */
class MembershipTest {

  /** One node: durable storage, applied index and the application's view of what it applied. */
  static final class N {
    final long id;
    final MemoryStorage storage;
    RawNode raw;
    long applied;
    final List<String> data = new ArrayList<>();
    /** Every ConfState persisted, by the applied index it was persisted with. */
    final TreeMap<Long, ConfState> confHistory = new TreeMap<>();

    N(long id, MemoryStorage storage) {
      this.id = id;
      this.storage = storage;
      this.applied = storage.snapshot().index();
      this.raw = new RawNode(Config.defaults(id), storage);
      confHistory.put(applied, storage.initialState().confState());
    }

    void restart() {
      raw = new RawNode(Config.defaults(id).withApplied(applied), storage);
    }

    Status st() {
      return raw.status();
    }
  }

  /** A loss-free network; isolated nodes neither send nor receive. */
  static final class Net {
    final TreeMap<Long, N> nodes = new TreeMap<>();
    final List<Message> queue = new ArrayList<>();
    final Set<Long> isolated = new HashSet<>();

    static Net bootstrap(int voters) {
      Net net = new Net();
      List<Long> ids = new ArrayList<>();
      for (long i = 1; i <= voters; i++) {
        ids.add(i);
      }
      for (long i = 1; i <= voters; i++) {
        net.nodes.put(i, new N(i, MemoryStorage.bootstrap(new ConfState(ids, List.of()))));
      }
      return net;
    }

    /** A new, empty member process (etcd: started after MemberAdd). */
    N join(long id) {
      N n = new N(id, new MemoryStorage());
      nodes.put(id, n);
      return n;
    }

    N node(long id) {
      return nodes.get(id);
    }

    boolean processReady(N n) {
      if (!n.raw.hasReady()) {
        return false;
      }
      Ready rd = n.raw.ready();
      if (rd.hardState() != null) {
        n.storage.setHardState(rd.hardState());
      }
      if (rd.snapshot() != null) {
        n.storage.applySnapshot(rd.snapshot());
      }
      n.storage.append(rd.entries());
      queue.addAll(rd.messages());
      queue.addAll(rd.messagesAfterPersist());
      if (rd.snapshot() != null) {
        n.applied = rd.snapshot().index();
        n.confHistory.put(n.applied, rd.snapshot().confState());
      }
      for (Entry e : rd.committedEntries()) {
        assertEquals(n.applied + 1, e.index(), "applies in order");
        if (e.type() == Entry.Type.CONF_CHANGE) {
          ConfState cs = n.raw.applyConfChange(e);
          n.storage.setConfState(cs);
          n.confHistory.put(e.index(), cs);
        } else if (e.data().length > 0) {
          n.data.add(new String(e.data()));
        }
        n.applied = e.index();
      }
      n.raw.advance(rd);
      return true;
    }

    /** Processes readies and delivers messages until nothing moves. */
    void stabilize() {
      for (int round = 0; round < 1000; round++) {
        boolean any = false;
        for (N n : List.copyOf(nodes.values())) {
          any |= processReady(n);
        }
        List<Message> batch = new ArrayList<>(queue);
        queue.clear();
        for (Message m : batch) {
          N to = nodes.get(m.to());
          boolean ok = to != null && !isolated.contains(m.to()) && !isolated.contains(m.from());
          if (ok) {
            to.raw.step(m);
            any = true;
          }
          if (m.type() == MessageType.SNAP && nodes.containsKey(m.from())) {
            nodes.get(m.from()).raw.reportSnapshot(m.to(), ok);
          }
        }
        if (!any) {
          return;
        }
      }
      fail("network did not stabilize");
    }

    void tickAll() {
      for (N n : nodes.values()) {
        n.raw.tick();
      }
    }

    N leader() {
      N found = null;
      for (N n : nodes.values()) {
        if (!isolated.contains(n.id) && n.st().role() == Role.LEADER
            && (found == null || n.st().term() > found.st().term())) {
          found = n;
        }
      }
      return found;
    }

    N elect(long id) {
      node(id).raw.campaign();
      stabilize();
      assertEquals(Role.LEADER, node(id).st().role());
      return node(id);
    }

    /** Ticks everyone until some non-isolated node leads; fails after {@code maxTicks}. */
    N awaitLeader(int maxTicks) {
      for (int t = 0; t < maxTicks; t++) {
        N l = leader();
        if (l != null) {
          return l;
        }
        tickAll();
        stabilize();
      }
      fail("no leader after " + maxTicks + " ticks");
      return null;
    }

    void commit(N leader, String d) {
      assertTrue(leader.raw.propose(d.getBytes()), "proposal accepted");
      stabilize();
    }

    void change(N leader, Type type, long id) {
      assertTrue(leader.raw.proposeConfChange(new ConfChange(type, id)), type + " " + id);
      stabilize();
    }
  }

  private static ConfState cs(List<Long> voters, List<Long> learners) {
    return new ConfState(voters, learners);
  }

  @Test
  void addVoterCatchesUpAndCounts() {
    Net net = Net.bootstrap(3);
    N l = net.elect(1);
    net.commit(l, "a");
    N n4 = net.join(4);
    net.change(l, Type.ADD_VOTER, 4);
    for (N n : net.nodes.values()) {
      assertEquals(cs(List.of(1L, 2L, 3L, 4L), List.of()), n.st().config(), "node " + n.id);
    }
    assertEquals(List.of("a"), n4.data, "the new voter caught up (via snapshot + log)");
    assertEquals(l.st().lastIndex(), l.st().progress().get(4L).match());
    // 4 voters: quorum is 3, so with 2 and 4 cut off nothing commits...
    net.isolated.addAll(List.of(2L, 4L));
    long commit = l.st().commit();
    assertTrue(l.raw.propose("b".getBytes()));
    net.stabilize();
    assertEquals(commit, l.st().commit(), "1 and 3 are no quorum of 4");
    // ...and the new voter's acknowledgement is what completes it.
    net.isolated.remove(4L);
    l.raw.tick();
    net.stabilize();
    assertEquals(commit + 1, l.st().commit());
    assertEquals(List.of("a", "b"), n4.data);
  }

  @Test
  void learnerReceivesEntriesButNeverCounts() {
    Net net = Net.bootstrap(1);
    N l = net.elect(1);
    N n2 = net.join(2);
    net.change(l, Type.ADD_LEARNER, 2);
    assertTrue(n2.st().isLearner());
    assertFalse(n2.st().isVoter());
    assertTrue(l.st().progress().get(2L).learner());
    net.commit(l, "x");
    assertEquals(List.of("x"), n2.data, "learner gets entries");
    // The voter commits alone while the learner is away.
    net.isolated.add(2L);
    net.commit(l, "y");
    assertEquals(l.st().lastIndex(), l.st().commit());
    // A learner never campaigns.
    long term = n2.st().term();
    for (int i = 0; i < 100; i++) {
      n2.raw.tick();
    }
    net.processReady(n2);
    assertEquals(Role.FOLLOWER, n2.st().role());
    assertEquals(term, n2.st().term());
    net.queue.clear();
  }

  @Test
  void learnerCannotStandInForAMissingVoter() {
    Net net = Net.bootstrap(2);
    N l = net.elect(1);
    net.join(3);
    net.change(l, Type.ADD_LEARNER, 3);
    net.isolated.add(2L);
    long commit = l.st().commit();
    assertTrue(l.raw.propose("z".getBytes()));
    net.stabilize();
    assertEquals(commit, l.st().commit(), "learner 3's ack must not make a quorum with 1");
    assertEquals(l.st().lastIndex(), l.st().progress().get(3L).match(), "3 did get it");
  }

  @Test
  void learnerVoteDoesNotElect() {
    Net net = Net.bootstrap(3);
    N l = net.elect(1);
    net.join(4);
    net.change(l, Type.ADD_LEARNER, 4);
    net.commit(l, "a");
    // Leader and voter 3 gone: candidate 2 has only itself and learner 4.
    net.isolated.addAll(List.of(1L, 3L));
    for (int t = 0; t < 200; t++) {
      net.node(2).raw.tick();
      net.node(4).raw.tick();
      net.stabilize();
      assertNotEquals(Role.LEADER, net.node(2).st().role(), "elected with a learner's vote");
    }
    net.isolated.remove(3L);
    N nl = net.awaitLeader(200);
    assertTrue(nl.id == 2 || nl.id == 3);
  }

  @Test
  void promotionKeepsProgress() {
    Net net = Net.bootstrap(1);
    N l = net.elect(1);
    net.join(2);
    net.change(l, Type.ADD_LEARNER, 2);
    net.commit(l, "a");
    long match = l.st().progress().get(2L).match();
    assertEquals(l.st().lastIndex(), match);
    assertTrue(l.raw.proposeConfChange(new ConfChange(Type.ADD_VOTER, 2)));
    // Only the leader's copy of the promotion entry is durable and committed: check the
    // progress right after the leader applied it, before 2 acknowledged anything else.
    net.processReady(l); // persist + send
    for (Message m : List.copyOf(net.queue)) {
      net.queue.remove(m);
      net.node(m.to()).raw.step(m);
    }
    net.processReady(net.node(2));
    for (Message m : List.copyOf(net.queue)) {
      net.queue.remove(m);
      l.raw.step(m);
    }
    net.processReady(l); // commits and applies the promotion
    assertEquals(cs(List.of(1L, 2L), List.of()), l.st().config());
    Status.Peer p = l.st().progress().get(2L);
    assertFalse(p.learner());
    assertEquals(l.st().lastIndex(), p.match(), "match kept (and advanced), not reset to 0");
    assertEquals(Progress.State.REPLICATE, p.state());
    net.stabilize();
    assertTrue(net.node(2).st().isVoter());
    // Now it counts: without it nothing commits.
    net.isolated.add(2L);
    long commit = l.st().commit();
    l.raw.propose("b".getBytes());
    net.stabilize();
    assertEquals(commit, l.st().commit());
    assertTrue(match > 0);
  }

  @Test
  void removeFollower() {
    Net net = Net.bootstrap(3);
    N l = net.elect(1);
    net.change(l, Type.REMOVE, 3);
    assertEquals(cs(List.of(1L, 2L), List.of()), l.st().config());
    assertFalse(l.st().progress().containsKey(3L));
    N n3 = net.node(3);
    assertFalse(n3.st().config().contains(3), "3 applied its own removal");
    // The removed node never campaigns and the rest commit without it.
    net.isolated.add(3L);
    long term = n3.st().term();
    for (int i = 0; i < 100; i++) {
      n3.raw.tick();
    }
    net.processReady(n3);
    assertEquals(Role.FOLLOWER, n3.st().role());
    assertEquals(term, n3.st().term());
    net.queue.clear();
    net.commit(l, "after");
    assertEquals(l.st().lastIndex(), l.st().commit());
  }

  @Test
  void removeLeaderReelectsAmongTheRest() {
    Net net = Net.bootstrap(3);
    N l = net.elect(1);
    net.commit(l, "before");
    net.change(l, Type.REMOVE, 1);
    assertFalse(l.st().config().contains(1));
    // It leads on only to hand over: no proposals, no reads.
    if (l.st().role() == Role.LEADER) {
      assertFalse(l.raw.propose("no".getBytes()));
      assertFalse(l.raw.readIndex("r".getBytes()));
    }
    // PreVote + CheckQuorum are on: the rest must still elect within a few election timeouts.
    int ticks = 0;
    N nl = null;
    while (nl == null && ticks < 4 * 20) {
      net.tickAll();
      ticks++;
      net.stabilize();
      nl = net.leader();
    }
    assertNotNull(nl, "no new leader after " + ticks + " ticks");
    assertTrue(nl.id == 2 || nl.id == 3);
    assertEquals(Role.FOLLOWER, l.st().role(), "the removed node never campaigns");
    assertEquals(cs(List.of(2L, 3L), List.of()), nl.st().config());
    net.commit(nl, "after");
    assertEquals(List.of("before", "after"), net.node(2).data);
    assertEquals(List.of("before", "after"), net.node(3).data);
    // A removed node's applied log does not grow.
    assertEquals(List.of("before"), l.data);
  }

  @Test
  void transferThenRemoveOldLeader() {
    Net net = Net.bootstrap(3);
    N l = net.elect(1);
    l.raw.transferLeadership(2);
    net.stabilize();
    N nl = net.node(2);
    assertEquals(Role.LEADER, nl.st().role());
    net.change(nl, Type.REMOVE, 1);
    net.commit(nl, "x");
    assertEquals(cs(List.of(2L, 3L), List.of()), net.node(3).st().config());
  }

  @Test
  void onlyOneChangeAtATime() {
    Net net = Net.bootstrap(3);
    N l = net.elect(1);
    assertTrue(l.raw.proposeConfChange(new ConfChange(Type.ADD_LEARNER, 4)));
    assertFalse(l.raw.proposeConfChange(new ConfChange(Type.ADD_LEARNER, 5)), "second pending");
    // In a forwarded batch the refused change becomes an empty entry; the rest goes through.
    long last = l.st().lastIndex();
    l.raw.step(Message.builder(MessageType.PROP).from(2).to(1).term(l.st().term()).entries(List.of(
        Entry.normal(0, 0, "p".getBytes()),
        new Entry(0, 0, Entry.Type.CONF_CHANGE, new ConfChange(Type.ADD_LEARNER, 5).encode()),
        Entry.normal(0, 0, "q".getBytes()))).build());
    Raft r = l.raw.raft();
    assertEquals(last + 3, r.log.lastIndex());
    assertEquals("p", new String(r.log.slice(last + 1, last + 2, Long.MAX_VALUE).get(0).data()));
    Entry noop = r.log.slice(last + 2, last + 3, Long.MAX_VALUE).get(0);
    assertEquals(Entry.Type.NORMAL, noop.type());
    assertEquals(0, noop.data().length);
    net.stabilize();
    assertEquals(cs(List.of(1L, 2L, 3L), List.of(4L)), l.st().config());
    assertEquals(List.of("p", "q"), net.node(2).data);
    // Applied: the next change is accepted again.
    assertTrue(l.raw.proposeConfChange(new ConfChange(Type.REMOVE, 4)));
  }

  @Test
  void newLeaderWaitsForItsNoopBeforeAChange() {
    Net net = Net.bootstrap(3);
    N l = net.elect(1);
    net.commit(l, "a");
    // 2 becomes leader (by transfer, past the lease); until its no-op is committed and applied
    // it refuses changes.
    l.raw.transferLeadership(2);
    for (int i = 0; i < 20 && net.node(2).st().role() != Role.LEADER; i++) {
      for (N n : net.nodes.values()) {
        net.processReady(n);
      }
      for (Message m : List.copyOf(net.queue)) {
        net.queue.remove(m);
        net.node(m.to()).raw.step(m);
      }
    }
    N l2 = net.node(2);
    assertEquals(Role.LEADER, l2.st().role());
    assertFalse(l2.raw.proposeConfChange(new ConfChange(Type.ADD_LEARNER, 9)));
    net.stabilize();
    assertTrue(l2.raw.proposeConfChange(new ConfChange(Type.ADD_LEARNER, 9)));
  }

  @Test
  void neverLeavesZeroVoters() {
    Net net = Net.bootstrap(1);
    N l = net.elect(1);
    net.join(2);
    net.change(l, Type.ADD_LEARNER, 2);
    long last = l.st().lastIndex();
    assertFalse(l.raw.proposeConfChange(new ConfChange(Type.REMOVE, 1)), "last voter");
    assertFalse(l.raw.proposeConfChange(new ConfChange(Type.ADD_LEARNER, 1)), "demote last voter");
    assertFalse(l.raw.proposeConfChange(new ConfChange(Type.ADD_VOTER, 0)), "id 0");
    assertEquals(last, l.st().lastIndex(), "nothing appended");
    // Removing the learner or another voter is fine.
    net.change(l, Type.ADD_VOTER, 2);
    net.change(l, Type.REMOVE, 1);
    N l2 = net.awaitLeader(100);
    assertEquals(2, l2.id);
    assertEquals(cs(List.of(2L), List.of()), l2.st().config());
  }

  @Test
  void updateOfTheOnlyVoterIsAcceptedAndChangesNoSet() {
    Net net = Net.bootstrap(1);
    N l = net.elect(1);
    // UPDATE carries new peer URLs for the node; voters and learners stay as they are
    net.change(l, Type.UPDATE, 1);
    assertEquals(cs(List.of(1L), List.of()), l.st().config());
    net.change(l, Type.UPDATE, 1);
    assertEquals(cs(List.of(1L), List.of()), l.st().config());
  }

  /**
   * Two voters; the leader removes itself, the removal commits with the follower's acknowledgement, and the leader
   * crashes before the follower learns of the commit, holding one more entry than the follower. Restarted, outside
   * the configuration, it refuses the follower its vote (its log is longer); the rejection carries its commit index,
   * which lets the follower commit and apply the removal and then lead alone instead of campaigning forever.
   */
  @Test
  void lastVoterLearnsTheCommitOfTheLeadersRemovalFromAVoteRejection() {
    Net net = Net.bootstrap(2);
    N a = net.elect(1);
    N b = net.node(2);
    assertTrue(a.raw.proposeConfChange(new ConfChange(Type.REMOVE, 1)));
    net.processReady(a); // A appends the removal and sends it
    assertTrue(a.raw.propose("after".getBytes()));
    net.processReady(a); // ... and one more entry, whose append B will never receive
    long removal = a.st().lastIndex() - 1;
    List<Message> toB = new ArrayList<>(net.queue);
    net.queue.clear();
    for (Message m : toB) {
      boolean carriesLast = m.entries().stream().anyMatch(e -> e.index() == removal + 1);
      if (m.to() == 2 && !carriesLast) b.raw.step(m);
    }
    net.processReady(b); // B persists the removal and acknowledges it
    for (Message m : List.copyOf(net.queue)) if (m.to() == 1) a.raw.step(m);
    net.queue.clear();
    net.processReady(a); // A commits and applies its own removal; what it sends now is lost: it crashes
    assertTrue(a.applied >= removal, "the removal committed on A");
    net.queue.clear();
    assertEquals(removal, b.st().lastIndex(), "B has the removal but not the entry after it");
    assertTrue(b.st().commit() < removal, "B has not learned that the removal committed");
    a.restart();

    N leader = net.awaitLeader(200);
    assertEquals(2, leader.id, "B leads alone");
    assertEquals(cs(List.of(2L), List.of()), leader.st().config());
  }

  @Test
  void contextRoundTripsThroughTheLog() {
    byte[] member = {10, 3, 'n', '4', 0, (byte) 0xff};
    ConfChange cc = new ConfChange(Type.ADD_VOTER, 4, member);
    ConfChange back = ConfChange.decode(cc.encode());
    assertEquals(cc, back);
    assertEquals(cc.hashCode(), back.hashCode());
    assertArrayEquals(member, back.context());
    assertNotEquals(cc, new ConfChange(Type.ADD_VOTER, 4));
    assertEquals("add_voter 4 ctx=0x0a036e3400ff", cc.toString());
    assertEquals("remove 7", new ConfChange(Type.REMOVE, 7).toString());
    assertEquals(0, new ConfChange(Type.REMOVE, 7, null).context().length);

    Net net = Net.bootstrap(3);
    N l = net.elect(1);
    net.join(4);
    assertTrue(l.raw.proposeConfChange(cc));
    net.stabilize();
    Entry e = net.node(4).raw.raft().log.slice(l.st().lastIndex(), l.st().lastIndex() + 1,
        Long.MAX_VALUE).get(0);
    assertEquals(Entry.Type.CONF_CHANGE, e.type());
    assertArrayEquals(member, ConfChange.decode(e.data()).context());
    assertTrue(e.toString().endsWith("conf add_voter 4 ctx=0x0a036e3400ff"), e.toString());
  }

  @Test
  void decodesTheOldNineByteFormat() {
    for (Type t : Type.values()) {
      byte[] old = ByteBuffer.allocate(9).put((byte) t.ordinal()).putLong(0x0102030405L).array();
      ConfChange cc = ConfChange.decode(old);
      assertEquals(new ConfChange(t, 0x0102030405L), cc);
      assertEquals(0, cc.context().length);
    }
    assertThrows(IllegalArgumentException.class, () -> ConfChange.decode(new byte[] {9, 0, 0}));
    byte[] bad = new ConfChange(Type.REMOVE, 2, new byte[] {1, 2}).encode();
    assertThrows(IllegalArgumentException.class,
        () -> ConfChange.decode(java.util.Arrays.copyOf(bad, bad.length - 1)));
  }

  @Test
  void snapshotCarriesMembershipToALateLearner() {
    Net net = Net.bootstrap(3);
    N l = net.elect(1);
    net.change(l, Type.ADD_LEARNER, 4); // node 4's process is not started yet
    net.change(l, Type.REMOVE, 3);
    net.commit(l, "a");
    net.commit(l, "b");
    for (N n : List.of(net.node(1), net.node(2))) {
      n.storage.createSnapshot(n.applied, n.storage.initialState().confState(), new byte[0]);
      n.storage.compact(n.applied);
    }
    N n4 = net.join(4);
    l.raw.tick(); // heartbeat: 4 answers, gets probed, needs a snapshot
    net.stabilize();
    ConfState want = cs(List.of(1L, 2L), List.of(4L));
    assertEquals(want, n4.st().config());
    assertTrue(n4.st().isLearner());
    assertEquals(want, n4.storage.initialState().confState(), "persisted from the snapshot");
    assertEquals(1, n4.confHistory.size() - 1, "no conf entry applied, only the snapshot");
    net.commit(l, "c");
    assertEquals(List.of("c"), n4.data, "snapshot state (a, b) + log from then on");
    assertEquals(l.st().lastIndex(), l.st().progress().get(4L).match());
  }

  /**
   * A Ready with a committed conf change is still being applied when a snapshot with a newer
   * membership arrives: the older change must not override the snapshot's membership.
   */
  @Test
  void staleConfChangeDoesNotOverrideReceivedSnapshot() {
    for (boolean withEntry : new boolean[] {true, false}) {
      MemoryStorage s = MemoryStorage.bootstrap(ConfState.ofVoters(1L, 2L, 3L));
      RawNode f = new RawNode(Config.defaults(3), s);
      Entry cc = new Entry(2, 2, Entry.Type.CONF_CHANGE, new ConfChange(Type.ADD_LEARNER, 4).encode());
      f.step(Message.builder(MessageType.APP).from(1).to(3).term(2).index(1).logTerm(1).commit(3)
          .entries(List.of(cc, Entry.normal(3, 2, "x".getBytes()))).build());
      Ready rd = f.ready();
      assertEquals(2, rd.committedEntries().size());
      s.setHardState(rd.hardState());
      s.append(rd.entries());
      // Before the application applies rd, the leader's snapshot at 10 arrives: 4 was removed
      // and 5 added by then.
      ConfState snapConf = cs(List.of(1L, 2L, 3L, 5L), List.of());
      f.step(Message.builder(MessageType.SNAP).from(1).to(3).term(2)
          .snapshot(SnapshotMeta.of(10, 2, snapConf, new byte[0])).build());
      assertEquals(snapConf, f.status().config(), "tracker took the snapshot's membership");
      ConfState got = withEntry ? f.applyConfChange(rd.committedEntries().get(0))
          : f.applyConfChange(ConfChange.decode(rd.committedEntries().get(0).data()));
      assertEquals(cs(List.of(1L, 2L, 3L), List.of(4L)), got, "membership as of index 2");
      assertEquals(snapConf, f.status().config(), "not overridden by the older change");
      s.setConfState(got);
      f.advance(rd);
      Ready rd2 = f.ready();
      assertNotNull(rd2.snapshot());
      assertTrue(rd2.committedEntries().isEmpty());
      s.applySnapshot(rd2.snapshot());
      f.advance(rd2);
      assertEquals(snapConf, f.status().config());
      // An entry covered by the installed snapshot changes nothing either.
      assertEquals(snapConf, f.applyConfChange(cc));
      assertEquals(snapConf, f.status().config());
    }
  }

  @Test
  void restartWithMembershipAsOfApplied() {
    Net net = Net.bootstrap(3);
    N l = net.elect(1);
    net.join(4);
    net.change(l, Type.ADD_LEARNER, 4);
    N n2 = net.node(2);
    long midApplied = n2.applied;
    ConfState mid = n2.storage.initialState().confState();
    MemoryStorage midCopy = n2.storage.copy();
    net.change(l, Type.ADD_VOTER, 4);
    net.change(l, Type.REMOVE, 3);
    net.commit(l, "a");
    ConfState want = cs(List.of(1L, 2L, 4L), List.of());
    assertEquals(want, n2.st().config());

    // 1. Restart with everything applied: the persisted membership, no entry replayed.
    n2.restart();
    assertEquals(want, n2.st().config());
    assertFalse(n2.st().isLearner());
    Ready rd = n2.raw.ready();
    assertTrue(rd.committedEntries().isEmpty(), "nothing to re-apply: " + rd.committedEntries());
    net.queue.addAll(rd.messages());
    n2.raw.advance(rd);

    // 2. Restart from an older applied index with the membership as of it: the later conf
    //    changes are replayed and lead to the same membership.
    ConfState persisted = midCopy.initialState().confState();
    assertEquals(mid, persisted);
    midCopy.append(n2.storage.entries(midCopy.lastIndex() + 1, n2.storage.lastIndex() + 1,
        Long.MAX_VALUE));
    midCopy.setHardState(n2.storage.hardState());
    RawNode r = new RawNode(Config.defaults(2).withApplied(midApplied), midCopy);
    assertEquals(mid, r.status().config());
    Ready rr = r.ready();
    assertEquals(midApplied + 1, rr.committedEntries().get(0).index());
    ConfState last = null;
    for (Entry e : rr.committedEntries()) {
      if (e.type() == Entry.Type.CONF_CHANGE) {
        last = r.applyConfChange(e);
      }
    }
    assertEquals(want, last);
    assertEquals(want, r.status().config());
    r.advance(rr);

    // 3. The restarted node still works in the cluster: with 4 down, 1 and 2 are a quorum.
    net.isolated.add(4L);
    net.stabilize();
    net.commit(l, "b");
    assertEquals(List.of("a", "b"), n2.data);

    // 4. A restarted removed node stays out: it never campaigns.
    N n3 = net.node(3);
    n3.restart();
    assertFalse(n3.st().config().contains(3));
    for (int i = 0; i < 100; i++) {
      n3.raw.tick();
    }
    assertEquals(Role.FOLLOWER, n3.st().role());
  }

  @Test
  void newPeerDoesNotMakeTheLeaderStepDownAtOnce() {
    Net net = Net.bootstrap(1);
    N l = net.elect(1);
    // Node 2 is added as a voter but its process never answers.
    net.change(l, Type.ADD_VOTER, 2);
    assertEquals(cs(List.of(1L, 2L), List.of()), l.st().config());
    for (int i = l.raw.ticksUntilTimeout(); i > 0; i--) {
      l.raw.tick();
    }
    assertEquals(Role.LEADER, l.st().role(), "first CheckQuorum right after the add");
    for (int i = l.raw.ticksUntilTimeout(); i > 0; i--) {
      l.raw.tick();
    }
    assertEquals(Role.FOLLOWER, l.st().role(), "a whole election timeout without 2: step down");
  }
}
