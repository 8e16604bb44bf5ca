package io.vkv.node;

import static io.vkv.node.TestCluster.ELECTION_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.node.testing.Wait;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network partitions between in-process members, cut in the {@link io.vkv.node.peer.PeerProxy}s that carry their
 * peer traffic, under write load: the majority keeps committing, a cut-off leader steps down and fails its pending writes,
 * a healed member catches up, and every acknowledged write is on every member at the end.
 */
class PartitionTest {
  static final List<Integer> ALL = List.of(0, 1, 2);

  @TempDir Path dir;
  TestCluster cluster;
  WriteLoad load;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.start(dir);
    load = new WriteLoad(cluster.vertx);
  }

  @AfterEach
  void stop() throws Exception {
    load.stopAndAwait(20_000);
    cluster.close();
  }

  @Test
  void partitionedFollowerCatchesUpAfterHeal() throws Exception {
    int leader = cluster.awaitOneLeader(ALL, 10 * ELECTION_MS);
    int follower = cluster.others(leader).get(0);
    int other = cluster.others(leader).get(1);
    long term = cluster.status(leader).getRaftTerm();
    for (int w = 0; w < 4; w++) load.start(cluster.kv(w % 2 == 0 ? leader : other), w % 2 == 0 ? leader : other);
    awaitMoreAcks(20, "writes before the cut");

    cluster.isolate(follower);
    long stalledAt = cluster.status(follower).getRaftAppliedIndex();
    awaitMoreAcks(50, "the other two to keep committing without the follower");
    assertEquals(cluster.id(leader), cluster.status(leader).getLeader(), "the leader kept its majority");
    long leaderApplied = cluster.status(leader).getRaftAppliedIndex();
    assertTrue(cluster.status(follower).getRaftAppliedIndex() < leaderApplied,
        "the cut-off follower applied nothing new (" + stalledAt + ") while the leader reached " + leaderApplied);

    cluster.heal();
    awaitCaughtUp(follower, leader);
    // PreVote: the follower's failed elections while cut off did not raise the term or depose the leader
    assertEquals(leader, cluster.awaitOneLeader(ALL, 2 * ELECTION_MS));
    assertEquals(term, cluster.status(leader).getRaftTerm());
    awaitMoreAcks(20, "writes after the heal");
    load.stopAndAwait(20_000);
    for (int i : ALL) load.assertAllOn(cluster, i);
  }

  @Test
  void partitionedLeaderStepsDownFailsItsPendingWritesAndConvergesAfterHeal() throws Exception {
    int oldLeader = cluster.awaitOneLeader(ALL, 10 * ELECTION_MS);
    for (int w = 0; w < 6; w++) load.start(cluster.kv(w % 3), w % 3);
    awaitMoreAcks(30, "writes before the cut");

    cluster.isolate(oldLeader);
    long cutAt = System.nanoTime(); // writes started from here on cannot reach the others
    List<Integer> majority = cluster.others(oldLeader);
    int newLeader = cluster.awaitOneLeader(majority, 3 * ELECTION_MS);
    long electedMs = (System.nanoTime() - cutAt) / 1_000_000;
    assertNotEquals(oldLeader, newLeader);
    // CheckQuorum: without a quorum's answers for an election timeout the old leader gives up leading
    Wait.until(Duration.ofMillis(3 * ELECTION_MS), "the cut-off leader to step down",
        () -> leaderSeenBy(oldLeader) != cluster.id(oldLeader));
    awaitMoreAcks(30, "the majority to commit under its new leader (elected in " + electedMs + " ms)");
    // writes the cut-off member took after the cut could never commit: each fails with etcd's error
    // ("leader changed" when it stepped down, "no leader" after), never a false success
    Wait.until(Duration.ofSeconds(10), "writes taken by the cut-off leader to end",
        () -> load.startedOn(oldLeader, cutAt).size() >= 2);
    long healAt = System.nanoTime();
    List<WriteLoad.Outcome> cutOff = load.startedOn(oldLeader, cutAt).stream()
        .filter(o -> o.endedNanos() - healAt < 0).toList();
    assertTrue(cutOff.size() >= 2, "writes that ended while cut off: " + cutOff);
    for (WriteLoad.Outcome o : cutOff) {
      assertTrue(o.error() instanceof InvalidStatusException, o + " succeeded or failed without an etcd error");
      assertEquals(GrpcStatus.UNAVAILABLE, ((InvalidStatusException) o.error()).actualStatus(), o.toString());
    }

    cluster.heal();
    assertEquals(newLeader, cluster.awaitOneLeader(ALL, 3 * ELECTION_MS), "the healed member follows the new leader");
    awaitCaughtUp(oldLeader, newLeader);
    int before = load.ackedCount();
    long healed = System.nanoTime();
    Wait.until(Duration.ofSeconds(10), "writes on every member after the heal",
        () -> load.startedOn(oldLeader, healed).stream().anyMatch(o -> o.error() == null)
            && load.ackedCount() > before + 20);
    load.stopAndAwait(20_000);
    for (int i : ALL) load.assertAllOn(cluster, i);
  }

  private long leaderSeenBy(int i) {
    try {
      return cluster.status(i).getLeader();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void awaitMoreAcks(int more, String what) {
    int target = load.ackedCount() + more;
    Wait.until(Duration.ofSeconds(15), what, () -> load.ackedCount() >= target);
  }

  /** Waits until {@code member} applied everything {@code leader} had committed when the wait began. */
  private void awaitCaughtUp(int member, int leader) throws Exception {
    long target = cluster.status(leader).getRaftIndex();
    Wait.until(Duration.ofSeconds(10), "m" + member + " to catch up to index " + target,
        () -> cluster.status(member).getRaftAppliedIndex() >= target);
  }
}
