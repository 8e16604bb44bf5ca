package io.vkv.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.internal.ClusterMembers;
import io.vkv.api.internal.MemberAttributes;
import io.vkv.consensus.ConfChange;
import io.vkv.consensus.ConfState;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MembershipTest {
  private static final String A = "http://127.0.0.1:2380";
  private static final String B = "http://127.0.0.1:2381";

  private static Membership twoMembers() {
    Map<String, List<URI>> cluster = new LinkedHashMap<>();
    cluster.put("a", List.of(URI.create(A)));
    cluster.put("b", List.of(URI.create(B)));
    return new Membership("a", cluster, "etcd-cluster", List.of(URI.create("http://127.0.0.1:2379")));
  }

  @Test
  void membersAreListedByUnsignedId() {
    Membership m = twoMembers();
    List<Long> ids = m.members().stream().map(Member::getID).toList();
    assertTrue(Long.compareUnsigned(ids.get(0), ids.get(1)) < 0, "sorted as etcd sorts: " + ids);
  }

  @Test
  void addLearnerThenPromoteThenUpdateThenRemove() {
    Membership m = twoMembers();
    long id = m.newMemberId(List.of("http://127.0.0.1:2382"), 1_000);
    Member c = Member.newBuilder().setID(id).addPeerURLs("http://127.0.0.1:2382").build();

    m.replace(m.afterChange(ConfChange.Type.ADD_LEARNER, c));
    assertTrue(m.member(id).getIsLearner());
    assertEquals("", m.member(id).getName(), "unstarted: no name yet");
    assertTrue(m.confState().learners().contains(id));

    m.replace(m.afterChange(ConfChange.Type.ADD_VOTER, Member.newBuilder().setID(id).build()));
    assertFalse(m.member(id).getIsLearner(), "promoted");
    assertEquals(List.of("http://127.0.0.1:2382"), m.member(id).getPeerURLsList(), "promotion keeps the peer URLs");

    m.replace(m.afterChange(ConfChange.Type.UPDATE, c.toBuilder().clearPeerURLs().addPeerURLs("http://127.0.0.1:2390")
        .build()));
    assertEquals(List.of("http://127.0.0.1:2390"), m.member(id).getPeerURLsList());
    assertFalse(m.member(id).getIsLearner(), "an update keeps the member a voter");

    m.replace(m.afterChange(ConfChange.Type.REMOVE, Member.newBuilder().setID(id).build()));
    assertEquals(null, m.member(id));
    assertTrue(m.isRemoved(id));
    assertEquals(new ConfState(m.members().stream().map(Member::getID).toList(), List.of()), m.confState());
  }

  @Test
  void newIdsAreNeverOnesInUseOrRemoved() {
    Membership m = twoMembers();
    long first = m.newMemberId(List.of("http://127.0.0.1:2382"), 7);
    m.replace(m.afterChange(ConfChange.Type.ADD_LEARNER, Member.newBuilder().setID(first).build()));
    m.replace(m.afterChange(ConfChange.Type.REMOVE, Member.newBuilder().setID(first).build()));
    // the same URLs at the same moment would give the same id: it was removed, so another one is chosen
    assertNotEquals(first, m.newMemberId(List.of("http://127.0.0.1:2382"), 7));
  }

  @Test
  void theRecordRoundTripsAndKeepsTheClusterIdAndNames() {
    Membership m = twoMembers();
    long clusterId = m.clusterId();
    ClusterMembers record = m.afterChange(ConfChange.Type.ADD_LEARNER,
        Member.newBuilder().setID(42).addPeerURLs("http://127.0.0.1:2399").build());
    m.replace(record);
    assertEquals(record, m.record());
    assertEquals(clusterId, m.clusterId(), "a membership change keeps the cluster id");

    Membership joiner = Membership.joining(record, 42, "c", List.of(URI.create("http://127.0.0.1:3379")));
    assertEquals(clusterId, joiner.clusterId(), "a joining member takes the cluster's id");
    assertEquals(42, joiner.localId());
    assertTrue(joiner.localIsLearner());
    assertEquals("c", joiner.member(42).getName());
    assertEquals(List.of("http://127.0.0.1:3379"), joiner.localClientUrls());
  }

  @Test
  void publishedAttributesNameAndLocateTheOtherMembers() {
    Membership m = twoMembers();
    long b = m.members().stream().filter(x -> x.getName().equals("b")).findFirst().orElseThrow().getID();
    m.replace(m.afterChange(ConfChange.Type.ADD_LEARNER, Member.newBuilder().setID(42).addPeerURLs("http://h:1").build()));
    List<Member> listed = m.members(List.of(
        MemberAttributes.newBuilder().setMemberId(42).setName("c").addClientUrls("http://h:2").build(),
        MemberAttributes.newBuilder().setMemberId(b).setName("b").addClientUrls("http://h:3").build(),
        MemberAttributes.newBuilder().setMemberId(7).setName("gone").build()));
    Member c = listed.stream().filter(x -> x.getID() == 42).findFirst().orElseThrow();
    assertEquals("c", c.getName());
    assertEquals(List.of("http://h:2"), c.getClientURLsList());
    assertEquals(3, listed.size(), "attributes of a member not in the membership are ignored");
  }
}
