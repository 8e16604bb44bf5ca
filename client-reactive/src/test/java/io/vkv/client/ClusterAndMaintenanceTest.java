package io.vkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.etcdserverpb.MemberListResponse;
import io.vkv.api.etcdserverpb.StatusResponse;
import org.junit.jupiter.api.Test;

class ClusterAndMaintenanceTest {

  @Test
  void memberListAndStatusDescribeTheOneMember() throws Exception {
    try (NodeFixture server = new NodeFixture()) {
      VkvClient client = VkvClient.create(new VkvClientOptions().addEndpoint(server.endpoint()));
      try {
        MemberListResponse members = Await.result(client.cluster().memberList());
        assertEquals(1, members.getMembersCount());
        Member m = members.getMembers(0);
        assertEquals(server.node.memberId(), m.getID());
        assertTrue(m.getClientURLsList().stream().anyMatch(u -> u.endsWith(server.endpoint())), m.toString());

        StatusResponse any = Await.result(client.maintenance().status());
        StatusResponse pinned = Await.result(client.maintenance().status(server.endpoint()));
        assertFalse(any.getVersion().isEmpty());
        assertEquals(server.node.memberId(), pinned.getHeader().getMemberId());
        assertEquals(server.node.memberId(), pinned.getLeader());
      } finally {
        Await.result(client.close());
      }
    }
  }
}
