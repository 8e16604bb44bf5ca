package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.etcdserverpb.MoveLeaderRequest;
import io.vkv.node.testing.Wait;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Maintenance.MoveLeader, Maintenance.Status and Cluster.MemberList on an in-process 3-member cluster. */
class ClusterMaintenanceTest {
  static final List<Integer> ALL = List.of(0, 1, 2);

  @TempDir Path dir;
  TestCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.start(dir);
  }

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  @Test
  void etcdctlMovesTheLeader() throws Exception {
    int leader = cluster.awaitOneLeader(ALL, 10 * TestCluster.ELECTION_MS);
    int target = cluster.others(leader).get(1);
    Etcdctl etcdctl = new Etcdctl(cluster.endpoints());

    String out = etcdctl.run("move-leader", Long.toHexString(cluster.id(target))).assertOk().out();
    assertTrue(out.contains("Leadership transferred from " + Long.toHexString(cluster.id(leader)) + " to "
        + Long.toHexString(cluster.id(target))), out);
    // the call returned once the target leads: the others learn it within a heartbeat or so
    assertEquals(target, cluster.awaitOneLeader(ALL, TestCluster.ELECTION_MS));
    for (int i : ALL) assertEquals(cluster.id(target), cluster.status(i).getLeader(), "leader seen by m" + i);
    cluster.put(leader, "after-move", "1"); // the old leader forwards to the new one
    for (int i : ALL) assertEquals("1", cluster.get(i, "after-move"));

    // moving to the member that already leads succeeds at once
    etcdctl.run("move-leader", Long.toHexString(cluster.id(target))).assertOk();

    // a target that is not a member
    Etcdctl.Result bad = etcdctl.run("move-leader", "abcdef");
    assertNotEquals(0, bad.exitCode());
    assertTrue(bad.err().contains("etcdserver: bad leader transferee"), bad.err());

    // only the leader takes it (etcdctl always asks the leader, so ask a follower directly)
    int follower = cluster.others(target).get(0);
    try {
      TestCluster.await(cluster.maintenance(follower)
          .moveLeader(MoveLeaderRequest.newBuilder().setTargetID(cluster.id(follower)).build()));
      fail("a follower accepted MoveLeader");
    } catch (ExecutionException e) {
      // etcd's ErrGRPCNotLeader (the Vert.x client shows the status code, not the message)
      assertEquals(GrpcStatus.FAILED_PRECONDITION, ((InvalidStatusException) e.getCause()).actualStatus());
    }
    assertEquals(target, cluster.awaitOneLeader(ALL, TestCluster.ELECTION_MS));
  }

  @Test
  void leadershipMovesAroundUnderWriteLoadWithoutLosingAnAcknowledgedWrite() throws Exception {
    int leader = cluster.awaitOneLeader(ALL, 10 * TestCluster.ELECTION_MS);
    WriteLoad load = new WriteLoad(cluster.vertx);
    for (int w = 0; w < 6; w++) load.start(cluster.kv(w % 3), w % 3);
    try {
      for (int round = 0; round < 3; round++) {
        int target = cluster.others(leader).get(round % 2);
        int acked = load.ackedCount();
        Wait.until(Duration.ofSeconds(10), "writes before move " + round, () -> load.ackedCount() >= acked + 20);
        TestCluster.await(cluster.maintenance(leader)
            .moveLeader(MoveLeaderRequest.newBuilder().setTargetID(cluster.id(target)).build()));
        assertEquals(target, cluster.awaitOneLeader(ALL, TestCluster.ELECTION_MS));
        leader = target;
      }
      int acked = load.ackedCount();
      Wait.until(Duration.ofSeconds(10), "writes after the moves", () -> load.ackedCount() >= acked + 20);
    } finally {
      load.stopAndAwait(20_000);
    }
    for (int i : ALL) load.assertAllOn(cluster, i);
  }

  @Test
  void everyMemberListsEveryMemberWithItsClientUrls() throws Exception {
    cluster.awaitOneLeader(ALL, 10 * TestCluster.ELECTION_MS);
    for (int asked : ALL) {
      Etcdctl etcdctl = new Etcdctl(cluster.member(asked).endpoints());
      String[] out = {""};
      // each member publishes its client URLs through the log once it serves clients
      Wait.until(Duration.ofMillis(10 * TestCluster.ELECTION_MS), "m" + asked + " to list all members with client URLs",
          () -> {
            out[0] = etcdctl.run("member", "list").assertOk().out();
            return ALL.stream().allMatch(i -> out[0].contains(expectedLine(i)));
          });
      assertEquals(3, out[0].strip().lines().count(), out[0]);
    }
  }

  /** etcdctl's member list line: id, status, name, peer URLs, client URLs, learner. */
  private String expectedLine(int i) {
    VkvNode m = cluster.member(i);
    return Long.toHexString(cluster.id(i)) + ", started, " + m.config().name() + ", "
        + m.config().initialAdvertisePeerUrls().get(0) + ", " + m.clientUrls().get(0) + ", false";
  }

  @Test
  void statusReportsRaftStateAndStore() throws Exception {
    int leader = cluster.awaitOneLeader(ALL, 10 * TestCluster.ELECTION_MS);
    for (int k = 0; k < 5; k++) cluster.put(k % 3, "status/" + k, "v");
    long[] applied = new long[3];
    Wait.until(Duration.ofSeconds(5), "every member to apply the same entries", () -> {
      for (int i : ALL) applied[i] = cluster.status(i).getRaftAppliedIndex();
      return applied[0] == applied[1] && applied[1] == applied[2];
    });
    // Status reads the member's own store, which may trail a write acknowledged by another member (as in etcd):
    // the revision is compared once every member has applied the same entries
    long revision = cluster.status(leader).getHeader().getRevision();
    assertTrue(revision >= 6, "revision after 5 puts: " + revision);
    long clusterId = cluster.status(0).getHeader().getClusterId();
    assertNotEquals(0, clusterId);
    for (int i : ALL) {
      var st = cluster.status(i);
      assertEquals(cluster.id(leader), st.getLeader());
      assertEquals(cluster.id(i), st.getHeader().getMemberId());
      assertEquals(clusterId, st.getHeader().getClusterId());
      assertEquals(revision, st.getHeader().getRevision(), "revision on m" + i);
      assertTrue(st.getRaftTerm() >= 2, "a term after an election: " + st.getRaftTerm());
      assertEquals(st.getRaftTerm(), st.getHeader().getRaftTerm());
      // the bootstrap snapshot at index 1, the leader's no-op, 5 puts (and the members' attribute publishes)
      assertTrue(st.getRaftAppliedIndex() >= 7, "applied index " + st.getRaftAppliedIndex());
      assertEquals(applied[i], st.getRaftAppliedIndex());
      assertTrue(st.getRaftIndex() >= st.getRaftAppliedIndex(), "committed " + st.getRaftIndex() + " < applied");
      assertTrue(st.getDbSize() > 0 && st.getDbSizeInUse() > 0 && st.getDbSizeInUse() <= st.getDbSize());
      assertEquals(0, st.getErrorsCount(), st.getErrorsList().toString());
    }
  }
}
