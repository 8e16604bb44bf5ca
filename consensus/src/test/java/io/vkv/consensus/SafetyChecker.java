package io.vkv.consensus;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Raft's safety properties, checked incrementally from what nodes persist, apply and become:
 * election safety, log matching, leader completeness and state-machine safety.
 */
final class SafetyChecker {
  /** term -> the only node that may lead it. */
  private final Map<Long, Long> leaderOfTerm = new HashMap<>();
  /** (index, term) of every entry ever persisted anywhere -> entry and its predecessor's term. */
  private final Map<String, Object[]> logEntries = new HashMap<>();
  /** index -> the entry applied there (by anyone); committed entries, in index order. */
  private final Map<Long, Entry> applied = new HashMap<>();
  long maxApplied;

  void leader(long term, long id) {
    Long prev = leaderOfTerm.putIfAbsent(term, id);
    if (prev != null && prev != id) {
      throw new AssertionError("two leaders in term " + term + ": " + prev + " and " + id);
    }
  }

  boolean isKnownLeader(long term, long id) {
    Long l = leaderOfTerm.get(term);
    return l != null && l == id;
  }

  /** Log matching: same (index, term) ⇒ same entry and same predecessor term (induction). */
  void persisted(long node, Entry e, long prevTerm) {
    String k = e.index() + "/" + e.term();
    Object[] v = logEntries.putIfAbsent(k, new Object[] {e, prevTerm});
    if (v != null) {
      Entry o = (Entry) v[0];
      if (!Arrays.equals(o.data(), e.data()) || o.type() != e.type()) {
        throw new AssertionError("log matching: node " + node + " has " + e + " but another has " + o);
      }
      if (prevTerm >= 0 && (long) v[1] >= 0 && prevTerm != (long) v[1]) {
        throw new AssertionError("log matching: entry " + k + " on node " + node
            + " follows term " + prevTerm + " elsewhere " + v[1]);
      }
    }
  }

  /** State-machine safety: every node applies the same entry at a given index. */
  void applied(long node, Entry e) {
    Entry o = applied.putIfAbsent(e.index(), e);
    if (o != null && !o.equals(e)) {
      throw new AssertionError("state machine safety: node " + node + " applied " + e + " at "
          + e.index() + " but another applied " + o);
    }
    maxApplied = Math.max(maxApplied, e.index());
  }

  void snapshotInstalled(long node, SnapshotMeta s) {
    Entry o = applied.get(s.index());
    if (o != null && o.term() != s.term()) {
      throw new AssertionError("node " + node + " installed " + s + " but " + o + " was applied");
    }
  }

  Entry appliedAt(long index) {
    return applied.get(index);
  }
}
