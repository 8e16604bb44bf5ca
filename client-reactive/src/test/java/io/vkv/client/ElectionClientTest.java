package io.vkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.v3electionpb.CampaignResponse;
import io.vkv.api.v3electionpb.LeaderKey;
import io.vkv.api.v3electionpb.LeaderResponse;
import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Campaign, Leader, Observe, Proclaim and Resign against each server kind with the Election service. */
class ElectionClientTest {
  private static final SharedClusters SHARED = new SharedClusters();

  @AfterAll
  static void stop() {
    SHARED.close();
  }

  private static String value(LeaderResponse r) {
    return r.getKv().getValue().toStringUtf8();
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lockAndElection")
  void campaignProclaimObserveAndResign(ServerKind kind) {
    VkvClient client = SHARED.client(kind);
    ElectionClient election = client.election();
    long a = Await.result(client.lease().grant(30)).getID();
    long b = Await.result(client.lease().grant(30)).getID();

    CampaignResponse won = Await.result(election.campaign("el1", a, "a1"));
    LeaderKey leaderA = won.getLeader();
    assertEquals("el1", leaderA.getName().toStringUtf8());
    assertEquals(a, leaderA.getLease());
    assertTrue(leaderA.getKey().toStringUtf8().startsWith("el1/"));
    assertEquals("a1", value(Await.result(election.leader("el1"))));

    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> error = new AtomicReference<>();
    AtomicBoolean ended = new AtomicBoolean();
    LeaderStream observed = election.observe("el1")
        .exceptionHandler(error::set).endHandler(v -> ended.set(true)).handler(r -> seen.add(value(r)));
    Wait.until(Duration.ofSeconds(20), () -> "observed " + seen, () -> seen.contains("a1"));

    Await.result(election.proclaim(leaderA, "a2"));
    assertEquals("a2", value(Await.result(election.leader("el1"))));
    Wait.until(Duration.ofSeconds(20), () -> "observed " + seen, () -> seen.contains("a2"));

    Future<CampaignResponse> second = election.campaign("el1", b, "b1");
    Wait.until(Duration.ofSeconds(20), "second candidate queued",
        () -> Await.result(client.kv().get("el1/", new GetOptions().prefix().countOnly())).getCount() == 2);
    assertFalse(second.isComplete(), "elected while the first leader still leads");

    Await.result(election.resign(leaderA));
    LeaderKey leaderB = Await.result(second).getLeader();
    assertEquals(b, leaderB.getLease());
    assertEquals("b1", value(Await.result(election.leader("el1"))));
    Wait.until(Duration.ofSeconds(20), () -> "observed " + seen, () -> seen.contains("b1"));
    assertEquals(List.of("a1", "a2", "b1"), seen);

    Await.result(observed.cancel());
    assertTrue(ended.get());
    assertEquals(null, error.get());
    Await.result(election.resign(leaderB));
    Await.result(client.lease().revoke(a));
    Await.result(client.lease().revoke(b));
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lockAndElection")
  void noLeaderAndNotLeaderAreErrors(ServerKind kind) {
    VkvClient client = SHARED.client(kind);
    assertEquals("election: no leader", Await.failure(client.election().leader("el2")).getMessage());
    long a = Await.result(client.lease().grant(30)).getID();
    LeaderKey leader = Await.result(client.election().campaign("el2", a, "x")).getLeader();
    Await.result(client.election().resign(leader));
    assertEquals("election: not leader", Await.failure(client.election().proclaim(leader, "y")).getMessage());
    assertEquals("election: no leader", Await.failure(client.election().leader("el2")).getMessage());
    Await.result(client.lease().revoke(a));
  }

  /** etcd's Election resigns a candidate whose campaign is given up, so it never leads with no one behind it. */
  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lockAndElection")
  void theServerWithdrawsACandidateThatGaveUp(ServerKind kind) {
    VkvClient client = SHARED.client(kind);
    long a = Await.result(client.lease().grant(30)).getID();
    long b = Await.result(client.lease().grant(30)).getID();
    LeaderKey leader = Await.result(client.election().campaign("el5", a, "a")).getLeader();
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED,
        Await.failure(client.election().campaign("el5", b, "b", Duration.ofMillis(500))).status());
    Wait.until(Duration.ofSeconds(20), "only the leader's key left under el5/",
        () -> Await.result(client.kv().get("el5/", new GetOptions().prefix().countOnly())).getCount() == 1);
    Await.result(client.election().resign(leader));
    assertEquals(0, Await.result(client.kv().get("el5/", new GetOptions().prefix().countOnly())).getCount());
    Await.result(client.lease().revoke(a));
    Await.result(client.lease().revoke(b));
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lockAndElection")
  void aLeaderWhoseLeaseIsRevokedIsReplaced(ServerKind kind) {
    VkvClient client = SHARED.client(kind);
    long a = Await.result(client.lease().grant(30)).getID();
    long b = Await.result(client.lease().grant(30)).getID();
    Await.result(client.election().campaign("el3", a, "a"));
    Future<CampaignResponse> second = client.election().campaign("el3", b, "b");
    Wait.until(Duration.ofSeconds(20), "second candidate queued",
        () -> Await.result(client.kv().get("el3/", new GetOptions().prefix().countOnly())).getCount() == 2);
    Await.result(client.lease().revoke(a));
    assertEquals(b, Await.result(second).getLeader().getLease());
    assertEquals("b", value(Await.result(client.election().leader("el3"))));
    Await.result(client.lease().revoke(b));
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lockAndElection")
  void observeSurvivesARestartWithoutRepeatingTheLeader(ServerKind kind) {
    try (TestCluster cluster = kind.start(1)) {
      VkvClient client = cluster.client();
      try {
        long a = Await.result(client.lease().grant(60)).getID();
        LeaderKey leader = Await.result(client.election().campaign("el4", a, "a1")).getLeader();
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        client.election().observe("el4").exceptionHandler(error::set).handler(r -> seen.add(value(r)));
        Wait.until(Duration.ofSeconds(20), () -> "observed " + seen, () -> seen.contains("a1"));

        cluster.kill(0);
        cluster.start(0);
        // the restarted member may still be electing itself; proclaiming twice is harmless
        Wait.untilReturns(Duration.ofSeconds(20), "a proclaim after the restart",
            () -> Await.result(client.election().proclaim(leader, "a2")));
        Wait.until(Duration.ofSeconds(20), () -> "observed " + seen, () -> seen.contains("a2"));
        // a1 once (the new stream's first answer repeats it and is dropped); a2 once per proclaim that was applied
        assertEquals("a1", seen.get(0));
        assertTrue(seen.subList(1, seen.size()).stream().allMatch("a2"::equals), "observed " + seen);
        assertEquals(null, error.get());
      } finally {
        Await.result(client.close());
      }
    }
  }
}
