package io.vkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.StatusResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** maintenance().moveLeader against three members of each server kind: it finds the leader and hands over. */
class MoveLeaderTest {

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void leadershipMovesToTheTransferee(ServerKind kind) {
    try (TestCluster cluster = kind.start(3)) {
      VkvClient client = cluster.client();
      try {
        List<String> endpoints = cluster.endpoints();
        int leader = ThreeMemberFailoverTest.leaderIndex(client, endpoints);
        int target = (leader + 1) % endpoints.size();
        long targetId = Await.result(client.maintenance().status(endpoints.get(target))).getHeader().getMemberId();

        Await.result(client.maintenance().moveLeader(targetId));

        StatusResponse after = Await.result(client.maintenance().status(endpoints.get(target)));
        assertEquals(targetId, after.getLeader(), "the transferee leads once moveLeader completed");
        Await.result(client.kv().put("ml/after", "1"));

        VkvException bad = Await.failure(client.maintenance().moveLeader(0x5eed_0000_0009L));
        assertEquals(Optional.of(EtcdError.BAD_LEADER_TRANSFEREE), bad.etcdError(), bad.status() + ": " + bad.getMessage());
      } finally {
        Await.result(client.close());
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
