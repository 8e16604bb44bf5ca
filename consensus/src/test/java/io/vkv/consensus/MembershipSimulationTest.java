package io.vkv.consensus;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link SimulationTest} with random membership changes ({@link MembershipSim}). 200 seeds by
 * default; {@code -Dmembership.long=true} runs 2,000; replay one with
 * {@code mvn -o -pl consensus test -Dtest=MembershipSimulationTest -Dseed=N}.
 */
class MembershipSimulationTest {
  private static final int SEEDS = Boolean.getBoolean("membership.long") ? 2000
      : Integer.getInteger("membership.seeds", 200);
  private static final int STEPS = Integer.getInteger("steps", 3000);

  @Test
  void randomizedMembershipChanges() {
    String one = System.getProperty("seed");
    if (one != null) {
      run(Long.parseLong(one), true);
      return;
    }
    long start = System.nanoTime();
    long[] totals = new long[6];
    for (long seed = 1; seed <= SEEDS; seed++) {
      MembershipSim s = run(seed, false);
      totals[0] += s.checker.maxApplied;
      totals[1] += s.confChangesApplied;
      totals[2] += s.leaderRemovals;
      totals[3] += s.joins;
      totals[4] += s.snapshotsDelivered;
      totals[5] += s.elections;
    }
    System.out.printf("membership simulation: %d seeds x %d steps in %d ms: %d applied,"
        + " %d conf changes, %d leader removals, %d joins, %d snapshots, %d elections%n",
        SEEDS, STEPS, (System.nanoTime() - start) / 1_000_000, totals[0], totals[1], totals[2],
        totals[3], totals[4], totals[5]);
    if (totals[1] < SEEDS || totals[2] == 0 || totals[3] == 0 || totals[4] == 0) {
      fail("the simulation barely exercised membership: " + java.util.Arrays.toString(totals));
    }
  }

  private static MembershipSim run(long seed, boolean verbose) {
    int size = seed % 3 == 0 ? 1 : seed % 3 == 1 ? 3 : 5;
    MembershipSim s = new MembershipSim(size, seed);
    try {
      for (int i = 0; i < STEPS; i++) {
        s.randomStep();
      }
      checkLiveness(s);
    } catch (Throwable t) {
      throw new AssertionError("seed " + seed + " (" + size + " nodes) failed at step " + s.steps
          + ": " + t + "\n  replay: mvn -o -pl consensus test -Dtest=MembershipSimulationTest"
          + " -Dseed=" + seed, t);
    }
    if (verbose) {
      System.out.println("seed " + seed + ": max applied " + s.checker.maxApplied + ", "
          + s.confChangesApplied + " conf changes, final membership " + s.history.lastEntry());
    }
    return s;
  }

  /** After healing, a leader of the final membership emerges and every member applies. */
  private static void checkLiveness(MembershipSim s) {
    s.lossy = false;
    s.group.clear();
    MembershipSim.Node leader = null;
    for (int round = 0; round < 300 && leader == null; round++) {
      s.stabilizeRound();
      leader = s.leader();
    }
    if (leader == null) {
      fail("no leader after healing; membership " + s.history.lastEntry() + dump(s));
    }
    // A leadership transfer the simulation started may still be in progress (proposals are
    // refused meanwhile, until it completes or is abandoned after an election timeout).
    Set<String> mine = new HashSet<>();
    for (int i = 0, round = 0; i < 3; round++) {
      if (round > 300) {
        fail("no leader accepts proposals; last " + (leader == null ? null : leader.raw.status()));
      }
      leader = s.leader();
      String d = "final" + i;
      if (leader != null && leader.raw.propose(d.getBytes())) {
        mine.add(d);
        i++;
      } else {
        s.stabilizeRound();
      }
    }
    for (int round = 0; round < 300; round++) {
      s.stabilizeRound();
      if (allApplied(s, mine)) {
        return;
      }
      if (round % 20 == 19) {
        // A proposal accepted by a leader that then lost its leadership (e.g. a pending
        // removal of itself committed meanwhile) may be overwritten: propose it again.
        MembershipSim.Node l = s.leader();
        for (String d : mine) {
          if (l != null) {
            l.raw.propose(d.getBytes());
          }
        }
      }
    }
    fail("final proposals not applied by every member of " + s.history.lastEntry() + dump(s));
  }

  private static String dump(MembershipSim s) {
    StringBuilder sb = new StringBuilder();
    for (MembershipSim.Node n : s.nodes.values()) {
      sb.append("\n  ").append(n.id).append(n.retired ? " retired" : "").append(" applied=")
          .append(n.applied).append(n.up() ? " " + n.raw.status() : "");
    }
    return sb.toString();
  }

  private static boolean allApplied(MembershipSim s, Set<String> wanted) {
    ConfState cs = s.history.lastEntry().getValue();
    for (MembershipSim.Node n : s.nodes.values()) {
      if (!cs.contains(n.id)) {
        continue;
      }
      Set<String> seen = new HashSet<>();
      for (long i = 1; i <= n.applied; i++) {
        Entry e = s.checker.appliedAt(i);
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
