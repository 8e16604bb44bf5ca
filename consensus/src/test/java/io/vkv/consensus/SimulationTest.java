package io.vkv.consensus;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Randomized, deterministic cluster simulation. Replay one seed with
 * {@code mvn -o -pl consensus test -Dtest=SimulationTest -Dseed=N}.
 */
class SimulationTest {
  private static final int SEEDS = Integer.getInteger("seeds", 1000);
  private static final int STEPS = Integer.getInteger("steps", 3000);
  private static final long[] TOTALS = new long[5];

  @Test
  void randomizedClusters() {
    String one = System.getProperty("seed");
    if (one != null) {
      run(Long.parseLong(one), true);
      return;
    }
    long start = System.nanoTime();
    for (long seed = 1; seed <= SEEDS; seed++) {
      run(seed, false);
    }
    System.out.printf("simulation: %d seeds x %d steps in %d ms: %d applied, %d elections,"
        + " %d crashes, %d snapshots delivered%n", SEEDS, STEPS,
        (System.nanoTime() - start) / 1_000_000, TOTALS[0], TOTALS[1], TOTALS[2], TOTALS[3]);
  }

  private static void run(long seed, boolean verbose) {
    int size = seed % 5 < 3 ? 3 : 5;
    SimCluster c = new SimCluster(size, seed);
    try {
      for (int i = 0; i < STEPS; i++) {
        c.randomStep();
      }
      checkLiveness(c);
    } catch (Throwable t) {
      AssertionError e = new AssertionError("seed " + seed + " (" + size + " nodes) failed at step "
          + c.steps + ": " + t + "\n  replay: mvn -o -pl consensus test -Dtest=SimulationTest -Dseed="
          + seed, t);
      throw e;
    }
    TOTALS[0] += c.checker.maxApplied;
    TOTALS[1] += c.elections;
    TOTALS[2] += c.crashes;
    TOTALS[3] += c.snapshotsDelivered;
    if (verbose) {
      System.out.println("seed " + seed + ": " + c.proposed.size() + " proposals, max applied "
          + c.checker.maxApplied);
    }
  }

  /** After healing, a stable leader emerges and commits everything proposed to it. */
  private static void checkLiveness(SimCluster c) {
    c.lossy = false;
    c.healPartition();
    SimCluster.Node leader = null;
    for (int round = 0; round < 300 && leader == null; round++) {
      c.stabilizeRound();
      leader = stableLeader(c);
    }
    if (leader == null) {
      fail("no leader after healing");
    }
    Set<String> mine = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      String d = "final" + i;
      if (!leader.raw.propose(d.getBytes())) {
        fail("stable leader dropped a proposal");
      }
      mine.add(d);
    }
    for (int round = 0; round < 300; round++) {
      c.stabilizeRound();
      if (allApplied(c, mine)) {
        return;
      }
    }
    fail("final proposals not applied everywhere; leader " + leader.id + " status "
        + leader.raw.status());
  }

  /**
   * The leader every node follows, in the highest term any node has; null while there is none (right after healing
   * a partition, a deposed leader may still believe it leads in an older term: proposing to it would test nothing).
   */
  private static SimCluster.Node stableLeader(SimCluster c) {
    SimCluster.Node leader = c.leader();
    if (leader == null) {
      return null;
    }
    long term = leader.raw.status().term();
    for (SimCluster.Node n : c.nodes) {
      Status s = n.raw.status();
      if (s.term() != term || s.leader() != leader.id) {
        return null;
      }
    }
    return leader;
  }

  private static boolean allApplied(SimCluster c, Set<String> wanted) {
    for (SimCluster.Node n : c.nodes) {
      Set<String> seen = new HashSet<>();
      for (long i = 1; i <= n.applied; i++) {
        Entry e = c.checker.appliedAt(i);
        if (e != null) {
          seen.add(new String(e.data()));
        }
      }
      if (!seen.containsAll(wanted)) {
        return false;
      }
    }
    return true;
  }
}
