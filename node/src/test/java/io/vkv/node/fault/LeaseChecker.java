package io.vkv.node.fault;

import java.util.ArrayList;
import java.util.List;

/**
 * Lease safety, checked on what each member holds once the faults are healed:
 * <ul>
 *   <li>a key attached to a lease that was revoked (acknowledged), that a keep-alive found gone (TTL 0), or that the
 *       client stopped renewing is absent from every member once the lease's TTL (plus {@code slack}, for a leader
 *       change extending it by an election timeout and a revoke queued behind others) has passed since anything
 *       could last have renewed it;
 *   <li>a key whose put was acknowledged and whose lease was kept alive is present on every member for as long as
 *       the lease provably lives: until the latest keep-alive send time plus the TTL it answered (or the grant's
 *       invocation plus the granted TTL). A keep-alive answered with a positive TTL proves the lease existed then,
 *       and keys leave a lease only when it is revoked or expires;
 *   <li>no keep-alive finds a lease gone (TTL 0) while it provably still lives.
 * </ul>
 */
public final class LeaseChecker {
  private LeaseChecker() {
  }

  /** When the lease's key must be gone from every member, or null if the history does not say. */
  static Long goneAfter(LeaseRecord l, long slackNanos) {
    if (l.revoke() == Op.Outcome.OK) return l.revokeEnd();
    for (LeaseRecord.Renewal r : l.renewals()) if (r.ttlSeconds() == 0) return r.endNanos();
    if (l.fate() == LeaseRecord.Fate.KEEP) return null; // still renewed: see aliveUntil
    return l.lastTouch() + l.ttlMs() * 1_000_000 + slackNanos;
  }

  /** Until when the lease provably lives (so its acknowledged key is present), or null if never provably. */
  static Long aliveUntil(LeaseRecord l) {
    if (l.fate() != LeaseRecord.Fate.KEEP || l.put() != Op.Outcome.OK || l.revoke() != null) return null;
    long until = l.grantInvoke() + l.ttlMs() * 1_000_000;
    for (LeaseRecord.Renewal r : l.renewals()) {
      if (r.ttlSeconds() == 0) return null;
      if (r.ttlSeconds() > 0) until = Math.max(until, r.sendNanos() + r.ttlSeconds() * 1_000_000_000);
    }
    return until;
  }

  /** A keep-alive answered TTL 0 (gone) while an earlier grant or renewal proves the lease still lived. */
  static String expiredEarly(LeaseRecord l) {
    if (l.revoke() != null) return null;
    long until = l.grantInvoke() + l.ttlMs() * 1_000_000;
    for (LeaseRecord.Renewal r : l.renewals()) {
      if (r.ttlSeconds() == 0) {
        return r.endNanos() < until ? "a keep-alive found the lease gone " + (until - r.endNanos()) / 1_000_000
            + " ms before the TTL of its last renewal ran out: " + l : null;
      }
      if (r.ttlSeconds() > 0) until = Math.max(until, r.sendNanos() + r.ttlSeconds() * 1_000_000_000);
    }
    return null;
  }

  public static List<String> check(List<LeaseRecord> leases, List<LeaseObservation> observations, long slackNanos,
      int limit) {
    List<String> problems = new ArrayList<>();
    int found = 0;
    for (LeaseRecord l : leases) {
      if (l.put() == Op.Outcome.FAILED) continue;
      String early = expiredEarly(l);
      if (early != null && found++ < limit) problems.add(early);
      Long gone = goneAfter(l, slackNanos);
      Long alive = aliveUntil(l);
      for (LeaseObservation o : observations) {
        boolean present = o.present().contains(l.key());
        String problem = null;
        if (gone != null && o.atNanos() > gone && present) {
          problem = "key of a " + (l.revoke() == Op.Outcome.OK ? "revoked" : "lapsed or expired") + " lease still on "
              + o.member() + " " + (o.atNanos() - gone) / 1_000_000 + " ms after it must be gone: " + l;
        } else if (alive != null && o.atNanos() < alive && o.atNanos() > l.putReturn() && !present) {
          problem = "key of a lease kept alive missing on " + o.member() + " (the lease lives at least "
              + (alive - o.atNanos()) / 1_000_000 + " ms more): " + l;
        }
        if (problem != null && found++ < limit) problems.add(problem);
      }
    }
    if (found > limit) problems.add((found - limit) + " more lease problems");
    return problems;
  }
}
