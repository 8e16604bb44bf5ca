package io.vkv.node.fault;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the watch, lease and lock workloads recorded in a run, with the store's versions of the watched keys and of
 * the fence key read after it: everything their checkers need, so that a failed run's history file can be checked
 * again ({@link FaultReplayTest}). In the file, one record a line, tab-separated, tagged by its first field.
 */
record SideHistory(List<WatchedEvent> events, List<WatcherSpan> spans, List<KeyVersion> watchedVersions,
    Set<String> pairValues, List<LeaseRecord> leases, List<LeaseObservation> leaseObservations,
    List<LockHolding> holdings, List<FencedWrite> fencedWrites, List<KeyVersion> fenceVersions) {

  /** A lease's key must be gone this long after its TTL ran out: a leader change adds an election timeout, a queued revoke 3 s. */
  static final long LEASE_SLACK_NANOS = 5_000_000_000L;

  static final SideHistory EMPTY = new SideHistory(List.of(), List.of(), List.of(), Set.of(), List.of(), List.of(),
      List.of(), List.of(), List.of());

  List<String> watchProblems(List<Op> registerHistory) {
    Set<String> written = new HashSet<>(pairValues);
    for (Op op : registerHistory) if (op.mayWrite()) written.add(op.value());
    return WatchChecker.check(events, spans, watchedVersions, written, 10);
  }

  List<String> leaseProblems() {
    return LeaseChecker.check(leases, leaseObservations, LEASE_SLACK_NANOS, 10);
  }

  List<String> lockProblems() {
    return LockChecker.check(holdings, fencedWrites, fenceVersions, 10);
  }

  /** Every problem the three checkers find, each prefixed with its checker. */
  List<String> problems(List<Op> registerHistory) {
    List<String> all = new ArrayList<>();
    watchProblems(registerHistory).forEach(p -> all.add("watch: " + p));
    leaseProblems().forEach(p -> all.add("lease: " + p));
    lockProblems().forEach(p -> all.add("lock: " + p));
    return all;
  }

  List<String> lines() {
    List<String> out = new ArrayList<>();
    events.forEach(e -> out.add(e.toLine()));
    spans.forEach(s -> out.add(s.toLine()));
    watchedVersions.forEach(v -> out.add(v.toLine("WV")));
    pairValues.forEach(v -> out.add("PV\t" + v));
    leases.forEach(l -> out.add(l.toLine()));
    leaseObservations.forEach(o -> out.add(o.toLine()));
    holdings.forEach(h -> out.add(h.toLine()));
    fencedWrites.forEach(w -> out.add(w.toLine()));
    fenceVersions.forEach(v -> out.add(v.toLine("FV")));
    return out;
  }

  /** The side records among a history file's lines (register operations and comments are skipped). */
  static SideHistory parse(List<String> lines) {
    SideHistory h = new SideHistory(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new HashSet<>(),
        new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (String line : lines) {
      String[] f = line.split("\t", -1);
      switch (f[0]) {
        case "WE" -> h.events.add(WatchedEvent.fromFields(f));
        case "WS" -> h.spans.add(WatcherSpan.fromFields(f));
        case "WV" -> h.watchedVersions.add(KeyVersion.fromFields(f));
        case "PV" -> h.pairValues.add(f[1]);
        case "LR" -> h.leases.add(LeaseRecord.fromFields(f));
        case "LO" -> h.leaseObservations.add(LeaseObservation.fromFields(f));
        case "LH" -> h.holdings.add(LockHolding.fromFields(f));
        case "LW" -> h.fencedWrites.add(FencedWrite.fromFields(f));
        case "FV" -> h.fenceVersions.add(KeyVersion.fromFields(f));
        default -> {
          // a register operation or a comment
        }
      }
    }
    return h;
  }

  /** Whether a line is one of these records (so not a register operation). */
  static boolean isSideLine(String line) {
    int tab = line.indexOf('\t');
    return tab > 0 && !Character.isDigit(line.charAt(0));
  }
}
