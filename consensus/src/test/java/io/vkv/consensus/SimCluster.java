package io.vkv.consensus;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic simulated cluster: one seed drives message drops, delays (random delivery
 * order), duplicates, partitions, crashes and restarts. A crash loses everything not yet
 * persisted: a node's Ready is handled in two steps (send {@code messages}, then persist,
 * send after-persist, apply, advance) and a crash may fall between them.
 */
final class SimCluster {
  final class Node {
    final long id;
    /** What survives a crash: hard state, entries, snapshot and membership. */
    final MemoryStorage storage;
    /** Durable applied index of the (simulated, durable) state machine. */
    long applied;
    RawNode raw;
    /** A Ready whose messages went out but which is not yet persisted. */
    Ready inFlight;
    long leaderCheckedTerm = -1;

    Node(long id, MemoryStorage storage) {
      this.id = id;
      this.storage = storage;
      this.applied = storage.snapshot().index();
      restart();
    }

    void restart() {
      raw = new RawNode(config(id).withApplied(applied).withSeed(rnd.nextLong()), storage);
      inFlight = null;
    }

    boolean up() {
      return raw != null;
    }
  }

  final Random rnd;
  final List<Node> nodes = new ArrayList<>();
  final List<Message> network = new ArrayList<>();
  final SafetyChecker checker = new SafetyChecker();
  /** Partition groups: a message is delivered only if both ends share a group id. */
  final int[] group;
  final List<String> proposed = new ArrayList<>();
  long steps;
  boolean lossy = true;
  /** Coverage counters, summed over seeds by the test. */
  long snapshotsDelivered;
  long crashes;
  long elections;

  SimCluster(int n, long seed) {
    rnd = new Random(seed);
    group = new int[n + 1];
    List<Long> voters = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      voters.add(i);
    }
    ConfState cs = new ConfState(voters, List.of());
    for (long i = 1; i <= n; i++) {
      nodes.add(new Node(i, MemoryStorage.bootstrap(cs)));
    }
  }

  Config config(long id) {
    return Config.defaults(id).withLimits(256, 4);
  }

  Node node(long id) {
    return nodes.get((int) id - 1);
  }

  /** One random action, then the safety checks. */
  void randomStep() {
    steps++;
    int a = rnd.nextInt(100);
    Node n = nodes.get(rnd.nextInt(nodes.size()));
    if (a < 25) {
      if (n.up()) {
        n.raw.tick();
      }
    } else if (a < 55) {
      deliverOne(false);
    } else if (a < 70) {
      handleReady(n, rnd.nextInt(4) == 0);
    } else if (a < 80) {
      propose(n);
    } else if (a < 83 && lossy) {
      if (!network.isEmpty()) {
        drop(network.remove(rnd.nextInt(network.size())));
      }
    } else if (a < 85 && lossy) {
      if (!network.isEmpty()) {
        network.add(network.get(rnd.nextInt(network.size())));
      }
    } else if (a < 86 && lossy) {
      if (rnd.nextInt(4) == 0) {
        partitionRandomly();
      }
    } else if (a < 88) {
      healPartition();
    } else if (a < 89 && lossy) {
      if (rnd.nextInt(3) == 0) {
        crash(n);
      }
    } else if (a < 92) {
      if (!n.up()) {
        n.restart();
      }
    } else if (a < 94) {
      compact(n);
    } else {
      deliverOne(false);
    }
    check();
  }

  void propose(Node n) {
    if (n.up()) {
      String d = "p" + proposed.size();
      if (n.raw.propose(d.getBytes())) {
        proposed.add(d);
      }
    }
  }

  void partitionRandomly() {
    for (int i = 1; i < group.length; i++) {
      group[i] = rnd.nextInt(2);
    }
  }

  void healPartition() {
    java.util.Arrays.fill(group, 0);
  }

  void crash(Node n) {
    if (n.up()) {
      crashes++;
      n.raw = null;
      n.inFlight = null;
    }
  }

  void compact(Node n) {
    if (!n.up() || n.applied <= n.storage.firstIndex()) {
      return;
    }
    long at = n.applied;
    n.storage.createSnapshot(at, n.storage.initialState().confState(), new byte[0]);
    n.storage.compact(at - rnd.nextInt(3));
  }

  /** Delivers one message (a random one, so delivery order is random), or the oldest if fifo. */
  void deliverOne(boolean fifo) {
    if (network.isEmpty()) {
      return;
    }
    Message m = network.remove(fifo ? 0 : rnd.nextInt(network.size()));
    Node to = node(m.to());
    if (!to.up() || group[(int) m.from()] != group[(int) m.to()]) {
      drop(m);
      return;
    }
    to.raw.step(m);
    if (m.type() == MessageType.SNAP) {
      snapshotsDelivered++;
      Node from = node(m.from());
      if (from.up()) {
        from.raw.reportSnapshot(m.to(), true);
      }
    }
  }

  private void drop(Message m) {
    if (m.type() == MessageType.SNAP) {
      Node from = node(m.from());
      if (from.up()) {
        from.raw.reportSnapshot(m.to(), false);
      }
    }
  }

  /**
   * Moves a node's Ready pipeline one step: take a Ready and send its messages, or persist the
   * in-flight one and finish it. With {@code both}, does both in one go.
   */
  void handleReady(Node n, boolean both) {
    if (!n.up()) {
      return;
    }
    if (n.inFlight == null) {
      if (!n.raw.hasReady()) {
        return;
      }
      n.inFlight = n.raw.ready();
      network.addAll(n.inFlight.messages());
      if (!both) {
        return;
      }
    }
    Ready rd = n.inFlight;
    n.inFlight = null;
    persist(n, rd);
    network.addAll(rd.messagesAfterPersist());
    apply(n, rd);
    n.raw.advance(rd);
  }

  private void persist(Node n, Ready rd) {
    if (rd.snapshot() != null) {
      n.storage.applySnapshot(rd.snapshot());
    }
    n.storage.append(rd.entries());
    for (Entry e : rd.entries()) {
      long prev;
      try {
        prev = n.storage.term(e.index() - 1);
      } catch (Storage.CompactedException ex) {
        prev = -1;
      }
      checker.persisted(n.id, e, prev);
    }
    if (rd.hardState() != null) {
      n.storage.setHardState(rd.hardState());
    }
  }

  private void apply(Node n, Ready rd) {
    if (rd.snapshot() != null) {
      checker.snapshotInstalled(n.id, rd.snapshot());
      n.applied = Math.max(n.applied, rd.snapshot().index());
    }
    for (Entry e : rd.committedEntries()) {
      if (e.index() != n.applied + 1) {
        throw new AssertionError("node " + n.id + " applies " + e.index() + " after " + n.applied);
      }
      checker.applied(n.id, e);
      if (e.type() == Entry.Type.CONF_CHANGE) {
        n.storage.setConfState(n.raw.applyConfChange(e));
      }
      n.applied = e.index();
    }
  }

  /** Election safety every step; leader completeness once per new leadership. */
  void check() {
    for (Node n : nodes) {
      if (!n.up()) {
        continue;
      }
      Raft r = n.raw.raft();
      if (r.role == SoftState.Role.LEADER && n.leaderCheckedTerm != r.term) {
        n.leaderCheckedTerm = r.term;
        checker.leader(r.term, n.id);
        elections++;
        for (long i = Math.max(r.log.firstIndex(), 1); i <= checker.maxApplied; i++) {
          Entry c = checker.appliedAt(i);
          if (c != null && !r.log.matchTerm(i, c.term())) {
            throw new AssertionError("leader completeness: leader " + n.id + " of term " + r.term
                + " lacks committed " + c);
          }
        }
      }
    }
  }

  /** Heals everything and runs a loss-free round: all up, tick, deliver, process readies. */
  void stabilizeRound() {
    for (Node n : nodes) {
      if (!n.up()) {
        n.restart();
      }
      n.raw.tick();
    }
    for (int i = 0; i < 3; i++) {
      for (Node n : nodes) {
        handleReady(n, true);
        handleReady(n, true);
      }
      while (!network.isEmpty()) {
        deliverOne(true);
        check();
      }
    }
  }

  Node leader() {
    Node found = null;
    for (Node n : nodes) {
      if (n.up() && n.raw.status().role() == SoftState.Role.LEADER) {
        if (found == null || n.raw.status().term() > found.raw.status().term()) {
          found = n;
        }
      }
    }
    return found;
  }
}
