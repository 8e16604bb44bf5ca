package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.etcdserverpb.MoveLeaderRequest;
import java.nio.file.Path;
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
}
