package io.vkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client against three members of each server kind: reads and writes go on after the leader dies. */
class ThreeMemberFailoverTest {

  /** The index of the member every reachable member names as leader, polled until there is one. */
  static int leaderIndex(VkvClient client, List<String> endpoints) {
    int[] found = {-1};
    Wait.until(Duration.ofSeconds(20), () -> "a leader among " + endpoints, () -> {
      for (int i = 0; i < endpoints.size(); i++) {
        try {
          var s = Await.result(client.maintenance().status(endpoints.get(i)));
          if (s.getLeader() != 0 && s.getLeader() == s.getHeader().getMemberId()) {
            found[0] = i;
            return true;
          }
        } catch (VkvException e) {
          // a dead member; try the others
        }
      }
      return false;
    });
    return found[0];
  }

  /** Puts until one is acknowledged (the survivors may still be electing a leader). */
  private static void put(VkvClient client, String key, String value) {
    Wait.untilReturns(Duration.ofSeconds(20), "a put of " + key + " acknowledged",
        () -> Await.result(client.kv().put(key, value)));
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void readsAndWritesGoOnAfterTheLeaderDies(ServerKind kind) {
    try (TestCluster cluster = kind.start(3)) {
      VkvClient client = cluster.client();
      try {
        put(client, "tm/before", "1");
        int leader = leaderIndex(client, cluster.endpoints());
        cluster.kill(leader);
        for (int i = 0; i < 5; i++) assertEquals(1, Await.result(client.kv().get("tm/before")).getCount());
        put(client, "tm/after", "2");
        assertEquals("2", Await.result(client.kv().get("tm/after")).getKvs(0).getValue().toStringUtf8());
        int next = leaderIndex(client, cluster.endpoints());
        assertTrue(next != leader, "a survivor leads");
      } finally {
        Await.result(client.close());
      }
    }
  }
}
