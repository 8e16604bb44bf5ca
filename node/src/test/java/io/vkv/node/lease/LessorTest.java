package io.vkv.node.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.etcdserverpb.LeaseCheckpoint;
import io.vkv.store.LeaseRecord;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The lessor driven by a hand-moved clock: no sleeps. */
class LessorTest {
  static final long S = TimeUnit.SECONDS.toNanos(1);
  static final long ELECTION = TimeUnit.MILLISECONDS.toNanos(1000);

  long now = 1_000 * S;
  final Lessor lessor = new Lessor(() -> now, ELECTION);

  @Test
  void aLeaseExpiresAfterItsTtlOnlyOnTheLeader() {
    lessor.granted(1, 10);
    now += 60 * S;
    assertEquals(List.of(), lessor.expired(100), "a follower never expires a lease");
    assertThrows(Lessor.NotLeaderException.class, () -> lessor.renew(1));
    lessor.promote();
    now += 10 * S; // the new leader adds one election timeout
    assertEquals(List.of(), lessor.expired(100));
    now += ELECTION;
    assertEquals(List.of(1L), lessor.expired(100));
    assertEquals(List.of(), lessor.expired(100), "offered once");
    assertNull(lessor.renew(1), "an expired lease cannot be renewed");
    assertNull(lessor.remaining(1));
  }

  @Test
  void aRenewalOfAnExpiredLeaseIsAnsweredOnceTheRevokeApplied() {
    lessor.promote();
    lessor.granted(1, 10);
    lessor.granted(2, 10);
    now += 10 * S;
    assertNull(lessor.renew(1));
    var gone = lessor.whenGone(1);
    assertFalse(gone.isDone(), "expired but not yet revoked: the keys are still there");
    lessor.revoked(2);
    assertFalse(gone.isDone());
    lessor.revoked(1);
    assertTrue(gone.isDone() && !gone.isCompletedExceptionally());
    assertTrue(lessor.whenGone(1).isDone(), "a lease that does not exist is gone at once");
  }

  @Test
  void aWaitForARevokeEndsWithNotLeaderWhenLeadershipMoves() {
    lessor.promote();
    lessor.granted(1, 10);
    now += 10 * S;
    var gone = lessor.whenGone(1);
    lessor.demote();
    var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> gone.get(1, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof Lessor.NotLeaderException, e.toString());
    assertTrue(lessor.whenGone(1).isCompletedExceptionally(), "a follower cannot tell when the revoke comes");
  }

  @Test
  void renewalPushesExpiryBackByTheFullTtl() {
    lessor.promote();
    lessor.granted(1, 10);
    now += 8 * S;
    assertEquals(2, lessor.remaining(1).ttl());
    assertEquals(new Lessor.Renewal(10, false), lessor.renew(1));
    assertEquals(new Lessor.Remaining(10, 10), lessor.remaining(1));
    now += 9 * S;
    assertEquals(List.of(), lessor.expired(10));
    now += S;
    assertEquals(List.of(1L), lessor.expired(10));
  }

  @Test
  void expiredLeasesComeOutOldestFirstWithinTheBudget() {
    lessor.promote();
    for (long id = 1; id <= 5; id++) lessor.granted(id, 10 + id);
    now += 30 * S;
    assertEquals(List.of(1L, 2L), lessor.expired(2));
    assertEquals(List.of(3L, 4L, 5L), lessor.expired(10));
  }

  @Test
  void aRevokedLeaseIsNotOfferedAndALostRevokeIsRetried() {
    lessor.promote();
    lessor.granted(1, 5);
    lessor.granted(2, 5);
    lessor.revoked(2);
    now += 5 * S;
    assertEquals(List.of(1L), lessor.expired(10));
    now += Lessor.REVOKE_RETRY_NANOS;
    assertEquals(List.of(1L), lessor.expired(10), "the revoke was not applied: offered again");
    lessor.revoked(1);
    now += Lessor.REVOKE_RETRY_NANOS;
    assertEquals(List.of(), lessor.expired(10));
  }

  @Test
  void aNewLeaderUsesTheCheckpointedRemainingTtlPlusOneElectionTimeout() {
    lessor.load(List.of(new LeaseRecord(1, 100, 30), new LeaseRecord(2, 100, 0)));
    lessor.promote();
    assertEquals(31, lessor.remaining(1).ttl());
    assertEquals(101, lessor.remaining(2).ttl());
    now += 31 * S - 1;
    assertEquals(List.of(), lessor.expired(10));
    now += 1;
    assertEquals(List.of(1L), lessor.expired(10));
  }

  @Test
  void checkpointsCarryTheRemainingTtlAndARenewalAsksToClearIt() {
    lessor.promote();
    lessor.granted(1, 100);
    lessor.granted(2, 100);
    assertEquals(List.of(), lessor.checkpoints(), "nothing has run down yet");
    now += 40 * S;
    lessor.renew(2);
    List<LeaseCheckpoint> cps = lessor.checkpoints();
    assertEquals(1, cps.size());
    assertEquals(1, cps.get(0).getID());
    assertEquals(60, cps.get(0).getRemainingTTL());
    lessor.checkpointed(1, 60); // applied
    assertEquals(List.of(), lessor.checkpoints(), "unchanged since the last checkpoint");
    assertEquals(new Lessor.Renewal(100, true), lessor.renew(1));
    lessor.checkpointed(1, 0);
    assertEquals(new Lessor.Renewal(100, false), lessor.renew(1));
  }

  @Test
  void demotionStopsExpiryAndLeavesTheLeasesKnown() {
    lessor.promote();
    lessor.granted(1, 5);
    lessor.demote();
    now += 60 * S;
    assertEquals(List.of(), lessor.expired(10));
    assertTrue(lessor.exists(1));
    assertFalse(lessor.isPrimary());
  }

  @Test
  void minimumTtlFollowsEtcd() {
    assertEquals(2, LeaseSettings.minTtlSeconds(100, 1000)); // 15 heartbeats = 1.5 s, rounded up
    assertEquals(1, LeaseSettings.minTtlSeconds(50, 500));
    assertEquals(8, LeaseSettings.minTtlSeconds(500, 5000));
  }
}
