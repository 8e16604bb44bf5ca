package io.vkv.node.corruption;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vkv.api.etcdserverpb.HashKVResponse;
import io.vkv.api.etcdserverpb.ResponseHeader;
import io.vkv.store.KvHash;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** etcd 3.4's comparison rules (etcdserver/corrupt.go), one case per rule. */
class HashComparisonTest {
  private static final long LEADER = 0xa;

  private static PeerHash answer(long id, long revision, long compactRevision, int hash) {
    return PeerHash.answered(id, HashKVResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setMemberId(id).setRevision(revision))
        .setCompactRevision(compactRevision).setHash(hash).build());
  }

  @Test
  void initialCheckCountsOnlyDifferentHashesAtTheSameCompactRevision() {
    KvHash local = new KvHash(111, 20, 5);
    List<PeerHash> peers = List.of(
        answer(1, 25, 5, 111),            // same hash: fine
        answer(2, 25, 5, 222),            // diverged
        answer(3, 25, 9, 333),            // compacted differently: not comparable
        PeerHash.failed(4, "FUTURE_REV"), // behind
        PeerHash.failed(5, "connection refused"));
    assertEquals(List.of(2L), HashComparison.initialMismatches(local, peers));
    assertEquals(List.of(), HashComparison.initialMismatches(local, List.of(peers.get(0), peers.get(2), peers.get(3))));
  }

  @Test
  void periodicCheckPassesWhenEveryAnswerAgrees() {
    KvHash before = new KvHash(111, 20, 5);
    KvHash after = new KvHash(999, 22, 5); // the leader moved on: its new hash is not compared
    List<PeerHash> peers = List.of(answer(1, 20, 5, 111), answer(2, 22, 5, 111), answer(3, 21, 3, 444),
        PeerHash.failed(4, "FUTURE_REV"));
    assertEquals(OptionalLong.empty(), HashComparison.suspect(LEADER, before, after, peers));
  }

  @Test
  void periodicCheckAlarmsAFollowerThatHashesDifferently() {
    KvHash h = new KvHash(111, 20, 5);
    assertEquals(OptionalLong.of(2), HashComparison.suspect(LEADER, h, h,
        List.of(answer(1, 20, 5, 111), answer(2, 20, 5, 222), answer(3, 20, 5, 333))));
  }

  @Test
  void periodicCheckAlarmsAFollowerAheadOfTheLeaderOrCompactedFurther() {
    KvHash h = new KvHash(111, 20, 5);
    assertEquals(OptionalLong.of(3), HashComparison.suspect(LEADER, h, h, List.of(answer(3, 21, 5, 111))));
    assertEquals(OptionalLong.of(4), HashComparison.suspect(LEADER, h, h, List.of(answer(4, 20, 6, 111))));
    // ahead of the leader's first reading but not of its second (it applied more meanwhile): fine
    assertEquals(OptionalLong.empty(), HashComparison.suspect(LEADER, h, new KvHash(123, 21, 5),
        List.of(answer(3, 21, 5, 111))));
  }

  @Test
  void periodicCheckAlarmsTheLeaderWhoseOwnHashChangedAtTheSameRevision() {
    KvHash before = new KvHash(111, 20, 5);
    assertEquals(OptionalLong.of(LEADER), HashComparison.suspect(LEADER, before, new KvHash(112, 20, 5),
        List.of(answer(1, 20, 5, 222))));
  }
}
