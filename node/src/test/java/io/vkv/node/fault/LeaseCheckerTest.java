package io.vkv.node.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.fault.LeaseRecord.Fate;
import io.vkv.node.fault.LeaseRecord.Renewal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The lease checker on hand-written histories (times in seconds): passes good ones, flags each bad one. */
class LeaseCheckerTest {
  static final long S = 1_000_000_000L;
  static final long SLACK = 2 * S;

  /** Granted at 1 s (TTL 2 s), its key put by 1.2 s. */
  static LeaseRecord lease(String key, Op.Outcome put, Fate fate, Op.Outcome revoke, long revokeEnd, List<Renewal> renewals) {
    return new LeaseRecord(0, key.hashCode(), 2_000, key, put, fate, S, S + S / 10, S + S / 5,
        revoke == null ? 0 : revokeEnd - S / 10, revokeEnd, revoke, renewals);
  }

  /** Renewed every second from 2 s to {@code last} s, each answered with TTL 2. */
  static List<Renewal> renewedUntil(long last) {
    List<Renewal> rs = new ArrayList<>();
    for (long t = 2; t <= last; t++) rs.add(new Renewal(t * S, t * S + S / 100, 2));
    return rs;
  }

  static LeaseObservation on(String member, long atSeconds, String... present) {
    return new LeaseObservation(member, atSeconds * S, Set.of(present));
  }

  static List<String> check(LeaseRecord l, LeaseObservation... obs) {
    return LeaseChecker.check(List.of(l), List.of(obs), SLACK, 10);
  }

  static void flagged(List<String> problems, String what) {
    assertTrue(problems.stream().anyMatch(p -> p.contains(what)), () -> "expected \"" + what + "\" in " + problems);
  }

  @Test
  void anExpiredLeasesKeyMustBeGoneFromEveryMember() {
    LeaseRecord l = lease("lease/a", Op.Outcome.OK, Fate.EXPIRE, null, 0, List.of());
    assertEquals(List.of(), check(l, on("m0", 10), on("m1", 10), on("m2", 10)));
    assertEquals(List.of(), check(l, on("m0", 2, "lease/a"))); // not expired yet: present is fine
    flagged(check(l, on("m0", 10), on("m1", 10, "lease/a"), on("m2", 10)), "lapsed or expired lease still on m1");
  }

  @Test
  void aKeyPutWithAnUnknownOutcomeMustAlsoBeGone() {
    LeaseRecord l = lease("lease/b", Op.Outcome.UNKNOWN, Fate.EXPIRE, null, 0, List.of());
    assertEquals(List.of(), check(l, on("m0", 10)));
    flagged(check(l, on("m0", 10, "lease/b")), "still on m0");
  }

  @Test
  void aRevokedLeasesKeyMustBeGoneAtOnce() {
    LeaseRecord l = lease("lease/c", Op.Outcome.OK, Fate.REVOKE, Op.Outcome.OK, 2 * S, List.of());
    assertEquals(List.of(), check(l, on("m0", 3)));
    flagged(check(l, on("m0", 3, "lease/c")), "revoked lease still on m0");
    // a revoke with an unknown outcome: gone once the TTL passed
    LeaseRecord u = lease("lease/d", Op.Outcome.OK, Fate.REVOKE, Op.Outcome.UNKNOWN, 2 * S, List.of());
    assertEquals(List.of(), check(u, on("m0", 3, "lease/d")));
    flagged(check(u, on("m0", 10, "lease/d")), "lapsed or expired lease still on m0");
  }

  @Test
  void aKeepAliveAnsweredWithTtlZeroMeansGone() {
    List<Renewal> rs = new ArrayList<>(renewedUntil(4));
    rs.add(new Renewal(7 * S, 7 * S + S / 100, 0)); // after a gap longer than the TTL: it expired, rightly
    LeaseRecord l = lease("lease/e", Op.Outcome.OK, Fate.KEEP, null, 0, rs);
    assertEquals(List.of(), check(l, on("m0", 8)));
    flagged(check(l, on("m0", 8, "lease/e")), "still on m0");
  }

  @Test
  void flagsALeaseGoneBeforeItsTtlRanOut() {
    List<Renewal> rs = new ArrayList<>(renewedUntil(4)); // renewed at 4 s with TTL 2: lives until 6 s at least
    rs.add(new Renewal(5 * S, 5 * S + S / 100, 0));
    flagged(check(lease("lease/k", Op.Outcome.OK, Fate.KEEP, null, 0, rs)), "found the lease gone");
  }

  @Test
  void aKeptAliveLeasesKeyMustBePresentOnEveryMember() {
    LeaseRecord l = lease("lease/f", Op.Outcome.OK, Fate.KEEP, null, 0, renewedUntil(9));
    assertEquals(List.of(), check(l, on("m0", 10, "lease/f"), on("m1", 10, "lease/f"), on("m2", 10, "lease/f")));
    flagged(check(l, on("m0", 10, "lease/f"), on("m1", 10), on("m2", 10, "lease/f")), "kept alive missing on m1");
  }

  @Test
  void aLeaseWhoseKeepAlivesStoppedMayBeGoneOrNot() {
    LeaseRecord l = lease("lease/g", Op.Outcome.OK, Fate.KEEP, null, 0, renewedUntil(3));
    assertEquals(List.of(), check(l, on("m0", 10)));
    assertEquals(List.of(), check(l, on("m0", 10, "lease/g")));
    // but while it provably lives (renewed at 3 s with TTL 2) its key must be there
    flagged(check(l, on("m0", 4)), "kept alive missing on m0");
  }

  @Test
  void aKeepAliveWithNoAnswerProvesNothing() {
    List<Renewal> rs = new ArrayList<>(renewedUntil(3));
    rs.add(new Renewal(4 * S, 7 * S, -1));
    LeaseRecord l = lease("lease/h", Op.Outcome.OK, Fate.KEEP, null, 0, rs);
    assertEquals(List.of(), check(l, on("m0", 6)));
  }

  @Test
  void aFailedPutAttachedNothing() {
    LeaseRecord l = lease("lease/i", Op.Outcome.FAILED, Fate.KEEP, null, 0, renewedUntil(9));
    assertEquals(List.of(), check(l, on("m0", 10)));
  }

  @Test
  void recordsSurviveTheHistoryFile() {
    LeaseRecord l = lease("lease/j", Op.Outcome.OK, Fate.KEEP, Op.Outcome.UNKNOWN, 3 * S, renewedUntil(4));
    assertEquals(l, LeaseRecord.fromFields(l.toLine().split("\t", -1)));
    LeaseObservation o = on("m1", 5, "lease/a", "lease/b");
    assertEquals(o, LeaseObservation.fromFields(o.toLine().split("\t", -1)));
  }
}
