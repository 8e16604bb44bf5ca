package io.vkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Keep-alives across a member restart, a leader kill, and a cluster that never comes back. */
class KeepAliveResilienceTest {

  /** Retries a read until the (re)started cluster answers; its result. */
  private static long remainingTtl(VkvClient client, long id) {
    return Wait.untilReturns(Duration.ofSeconds(20), "an answer to TimeToLive",
        () -> Await.result(client.lease().timeToLive(id, false)).getTTL());
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lease")
  void survivesARestartOfItsOnlyMember(ServerKind kind) {
    try (TestCluster cluster = kind.start(1)) {
      VkvClient client = cluster.client();
      try {
        long id = Await.result(client.lease().grant(6)).getID();
        Await.result(client.kv().put("ka1/k", "v", new PutOptions().lease(id)));
        LeaseKeepAliveImpl keepAlive = (LeaseKeepAliveImpl) client.lease().keepAlive(id);
        KeepAliveRecorder r = KeepAliveRecorder.of(keepAlive);
        r.awaitRenewals(1);

        cluster.kill(0);
        cluster.start(0);
        int before = r.renewals.size();
        r.awaitRenewals(before + 3); // renewed again, on a new stream, without a lost event
        assertTrue(keepAlive.streamsOpened() >= 2, "reconnected: " + keepAlive.streamsOpened());
        assertNull(r.error.get());
        assertTrue(remainingTtl(client, id) > 0);
        assertEquals(1, Await.result(client.kv().get("ka1/k")).getCount());
        Await.result(keepAlive.close());
      } finally {
        Await.result(client.close());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lease")
  void reportsTheLeaseLostWhenNoMemberAnswersUntilItsDeadline(ServerKind kind) {
    try (TestCluster cluster = kind.start(1)) {
      VkvClient client = cluster.client();
      try {
        long id = Await.result(client.lease().grant(2)).getID();
        LeaseKeepAlive keepAlive = client.lease().keepAlive(id);
        KeepAliveRecorder r = KeepAliveRecorder.of(keepAlive);
        r.awaitRenewals(1);
        long killed = System.nanoTime();
        cluster.kill(0);
        LeaseLostException lost = r.awaitLost();
        long afterMs = (System.nanoTime() - killed) / 1_000_000;
        assertEquals(LeaseLostException.Reason.DEADLINE_PASSED, lost.reason());
        assertTrue(afterMs <= 4_000, "reported " + afterMs + " ms after the member died (TTL 2 s)");
        assertTrue(lost.getCause() instanceof VkvException, "carries the last connection error: " + lost.getCause());
      } finally {
        Await.result(client.close());
      }
    }
  }

  /** The keep-alive moves to a surviving member when the leader dies; the new leader keeps the lease. */
  @ParameterizedTest
  @MethodSource("io.vkv.client.KeepAliveResilienceTest#threeMemberLease")
  void survivesTheLeadersDeathInAThreeMemberCluster(ServerKind kind) {
    try (TestCluster cluster = kind.start(3)) {
      VkvClient client = cluster.client();
      try {
        long id = Await.result(client.lease().grant(5)).getID();
        Await.result(client.kv().put("ka3/k", "v", new PutOptions().lease(id)));
        LeaseKeepAlive keepAlive = client.lease().keepAlive(id);
        KeepAliveRecorder r = KeepAliveRecorder.of(keepAlive);
        r.awaitRenewals(1);

        int leader = ThreeMemberFailoverTest.leaderIndex(client, cluster.endpoints());
        cluster.kill(leader);
        int before = r.renewals.size();
        r.awaitRenewals(before + 4); // past a TTL after the kill
        assertNull(r.error.get());
        assertTrue(remainingTtl(client, id) > 0);
        assertEquals(1, Await.result(client.kv().get("ka3/k")).getCount());
        Await.result(keepAlive.close());
      } finally {
        Await.result(client.close());
      }
    }
  }

  /** Three-member clusters whose followers serve leases too. */
  static List<ServerKind> threeMemberLease() {
    return List.of(ServerKind.ETCD, ServerKind.VKV);
  }
}
