package io.vkv.node.fault;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A run's watch, lease and lock figures and verdicts, and for each checker whether it flags this very history once
 * broken on purpose (a watch event dropped; the lease keys that must be gone put back on a member; a fenced write
 * of an earlier hold applied after the last one) — so a checker that passes everything fails the CI run.
 */
record SideStats(int watchEvents, int watchStreams, int watchProblems, boolean watchBites, int leases, int leasesGone,
    int leasesKept, int leaseProblems, boolean leaseBites, int holds, int fencedOk, int fencedFailed, int fencedUnknown,
    int stalls, int lockProblems, boolean lockBites) {

  static SideStats of(SideHistory h, List<Op> registerHistory, int streams, int stalls) {
    long observedAt = h.leaseObservations().stream().mapToLong(LeaseObservation::atNanos).min().orElse(0);
    int gone = 0;
    int kept = 0;
    for (LeaseRecord l : h.leases()) {
      Long g = LeaseChecker.goneAfter(l, SideHistory.LEASE_SLACK_NANOS);
      Long a = LeaseChecker.aliveUntil(l);
      if (l.put() != Op.Outcome.FAILED && g != null && g < observedAt) gone++;
      if (a != null && a > observedAt) kept++;
    }
    return new SideStats(h.events().size(), streams, h.watchProblems(registerHistory).size(),
        watchBites(h, registerHistory), h.leases().size(), gone, kept, h.leaseProblems().size(), leaseBites(h),
        h.holdings().size(), count(h, Op.Outcome.OK), count(h, Op.Outcome.FAILED), count(h, Op.Outcome.UNKNOWN), stalls,
        h.lockProblems().size(), lockBites(h));
  }

  private static int count(SideHistory h, Op.Outcome o) {
    return (int) h.fencedWrites().stream().filter(w -> w.outcome() == o).count();
  }

  /** Drops one event of watcher 0 inside its checked span: must be reported missing. */
  static boolean watchBites(SideHistory h, List<Op> registerHistory) {
    WatcherSpan span = h.spans().isEmpty() ? null : h.spans().get(0);
    if (span == null) return false;
    List<WatchedEvent> events = new ArrayList<>(h.events());
    for (int i = events.size() / 2; i < events.size(); i++) {
      WatchedEvent e = events.get(i);
      if (e.watcher() == span.watcher() && e.modRev() <= span.caughtUpRev()) {
        events.remove(i);
        SideHistory broken = new SideHistory(events, h.spans(), h.watchedVersions(), h.pairValues(), h.leases(),
            h.leaseObservations(), h.holdings(), h.fencedWrites(), h.fenceVersions());
        return broken.watchProblems(registerHistory).size() > h.watchProblems(registerHistory).size();
      }
    }
    return false;
  }

  /** Puts every key whose lease must be gone back on the first member's observation: must be flagged. */
  static boolean leaseBites(SideHistory h) {
    if (h.leaseObservations().isEmpty()) return false;
    LeaseObservation o = h.leaseObservations().get(0);
    Set<String> present = new HashSet<>(o.present());
    h.leases().stream().filter(l -> l.put() != Op.Outcome.FAILED)
        .filter(l -> Objects.requireNonNullElse(LeaseChecker.goneAfter(l, SideHistory.LEASE_SLACK_NANOS), Long.MAX_VALUE) < o.atNanos())
        .forEach(l -> present.add(l.key()));
    if (present.equals(o.present())) return false;
    List<LeaseObservation> obs = new ArrayList<>(h.leaseObservations());
    obs.set(0, new LeaseObservation(o.member(), o.atNanos(), present));
    return !LeaseChecker.check(h.leases(), obs, SideHistory.LEASE_SLACK_NANOS, 10).isEmpty();
  }

  /** Applies the first applied fenced write again after the last one: an earlier hold writing after a later one. */
  static boolean lockBites(SideHistory h) {
    if (h.fenceVersions().size() < 2) return false;
    List<KeyVersion> fence = new ArrayList<>(h.fenceVersions());
    KeyVersion first = fence.stream().min((a, b) -> Long.compare(a.modRev(), b.modRev())).orElseThrow();
    KeyVersion last = fence.stream().max((a, b) -> Long.compare(a.modRev(), b.modRev())).orElseThrow();
    String firstHold = first.value().substring(0, first.value().lastIndexOf('-'));
    String lastHold = last.value().substring(0, last.value().lastIndexOf('-'));
    if (firstHold.equals(lastHold)) return false; // a single hold wrote: nothing to interleave with
    fence.add(new KeyVersion(first.key(), last.modRev() + 1, first.createRev(), first.value()));
    return !LockChecker.check(h.holdings(), h.fencedWrites(), fence, 10).isEmpty();
  }

  boolean allBite() {
    return watchBites && leaseBites && lockBites;
  }

  String summary() {
    return String.format("watch=%s(events=%d streams=%d%s) lease=%s(leases=%d must-be-gone=%d kept-alive=%d%s)"
        + " lock=%s(holds=%d fenced ok=%d failed=%d unknown=%d stalls=%d%s)",
        watchProblems == 0 ? "PASS" : "FAIL", watchEvents, watchStreams, watchBites ? "" : " DOES-NOT-BITE",
        leaseProblems == 0 ? "PASS" : "FAIL", leases, leasesGone, leasesKept, leaseBites ? "" : " DOES-NOT-BITE",
        lockProblems == 0 ? "PASS" : "FAIL", holds, fencedOk, fencedFailed, fencedUnknown, stalls,
        lockBites ? "" : " DOES-NOT-BITE");
  }
}
