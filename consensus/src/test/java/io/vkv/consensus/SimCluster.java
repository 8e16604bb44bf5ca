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
  final class Node extends SimNode {
    Node(long id, MemoryStorage storage) {
      super(id, storage, rnd);
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
      n.crash();
    }
  }

  void compact(Node n) {
    n.compact(new byte[0]);
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

  void handleReady(Node n, boolean both) {
    n.handleReady(both, network, checker, rd -> apply(n, rd));
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
      if (n.up() && n.checkNewLeadership(checker)) {
        elections++;
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
