package io.vkv.node.fault;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI-sized fault run (issue #18): three member processes under a register workload, every fault kind once in an
 * order the seed shuffles (kill -9 of the leader and of a follower, SIGSTOP of a member, isolating a follower and the
 * leader, MoveLeader, removing a follower and adding it back as a learner that is promoted, a slow or stalled disk on
 * the leader and on a follower, slow links), then the
 * linearizability checker, the revision checks and every acknowledged write read back on every member; meanwhile
 * watchers, lease clients and fenced lock clients run, judged by their checkers, each of which must also flag the
 * run's own history broken on purpose; and multi-key txn clients on a group of keys of their own, judged by the txn
 * checker, which must flag the run's txn history with one final group read made stale. The long mode is
 * {@link FaultLongRunTest}; see docs/RELIABILITY.md.
 */
class FaultInjectionTest {
  static final long SEED = 18;

  @TempDir Path dir;

  @Test
  void everyFaultKindOnceStaysLinearizable() throws Exception {
    FaultRun.Result r = new FaultRun(SEED, FaultRun.scheduleFor(SEED, 0), dir, Path.of("target", "fault-histories")).run();
    System.out.println("[fault] " + r.summary());
    assertTrue(r.faults().size() == FaultRun.Fault.values().length, r::summary);
    assertTrue(r.ackedWrites() > 100, () -> "too few acknowledged writes to mean anything: " + r.summary());
    assertTrue(r.staleVerdict() == RegisterChecker.Status.NOT_LINEARIZABLE,
        () -> "the checker must flag this run's history with one final read made stale: " + r.summary());
    SideStats side = r.side();
    assertTrue(side.watchEvents() > 100 && side.watchStreams() > 4 && side.leasesGone() > 10 && side.holds() > 5
        && side.fencedOk() > 5, () -> "too little watch, lease or lock activity to mean anything: " + r.summary());
    TxnStats txn = r.txn();
    assertTrue(txn.acked() > 50, () -> "too few acknowledged txns to mean anything: " + r.summary());
    assertTrue(txn.bites(), () -> "the txn checker must flag this run's txn history with one final group read made stale: "
        + r.summary());
    assertTrue(side.allBite(), () -> "each side checker must flag this run's history broken on purpose: " + r.summary());
    assertTrue(r.passed(), () -> r.summary() + "\n" + r.verdict() + "\ntxn " + r.txn().verdict() + "\n" + String.join("\n", r.problems()));
  }

}
