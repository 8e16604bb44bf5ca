package io.vkv.node.fault;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vkv.api.etcdserverpb.LeaseGrantRequest;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.StatusRequest;
import io.vkv.node.fault.FaultCluster.Slot;
import io.vkv.node.testing.Wait;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader whose disk stalls (its Raft loop waits in a WAL force) is replaced by the other members, but goes on
 * taking itself for the leader until the loop runs again. It must not renew leases meanwhile: the new leader, which
 * runs the leases' clocks now, would never hear of such a renewal and revoke the lease before the TTL the client was
 * told. Regression test for the fault run's lease checker failure "a keep-alive found the lease gone before the TTL
 * of its last renewal ran out" (seed 18 with SLOW_DISK_LEADER); see docs/RELIABILITY.md.
 */
@Timeout(180)
class StalledLeaderLeaseTest {
  @TempDir Path dir;

  @Test
  void aStalledLeaderRenewsNoLease() throws Exception {
    try (FaultCluster cluster = new FaultCluster(dir)) {
      cluster.start();
      Slot old = cluster.awaitHealthy();
      long lease = FaultCluster.await(cluster.lease(old).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(30).build()))
          .getID();
      cluster.slowDisk(old, 120_000);
      // the next Ready with entries makes the leader's loop wait in the force
      cluster.kv(old).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("v"))
          .build());
      List<Slot> others = java.util.Arrays.stream(cluster.slots).filter(s -> s != old).toList();
      Wait.until(FaultCluster.LIMIT, "the other two members electing a new leader", () -> {
        long a = FaultCluster.await(cluster.maintenance(others.get(0)).status(StatusRequest.getDefaultInstance())).getLeader();
        long b = FaultCluster.await(cluster.maintenance(others.get(1)).status(StatusRequest.getDefaultInstance())).getLeader();
        return a != 0 && a == b && a != old.id;
      });
      Future<Long> renewal = Calls.keepAliveOnce(cluster.vertx, cluster.lease(old), lease, 60_000);
      Wait.throughout(Duration.ofSeconds(3), Duration.ofMillis(100), "no renewal answered by the stalled ex-leader",
          () -> assertFalse(renewal.succeeded() && renewal.result() > 0,
              "the stalled ex-leader renewed the lease while another member led"));
      cluster.slowDisk(old, 0);
      cluster.awaitHealthy();
    }
  }
}
