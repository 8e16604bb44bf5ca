package io.vkv.node.fault;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lock mutual exclusion, checked with fencing: the writes that took effect on the fence key are the store's
 * versions of it (acknowledged ones and those whose outcome the client never learnt alike). In revision order:
 * <ul>
 *   <li>each hold's writes are contiguous — no two holders' writes interleave;
 *   <li>the fencing token (the lock key's create revision) increases at each handover;
 *   <li>a hold's writes all come after the revision its lock was granted at, and after the previous holder's last
 *       write — the intervals [grant, last write] of holds never overlap;
 *   <li>only writes whose guard could pass took effect (none the client saw fail), every acknowledged one did, and
 *       every version is some holder's write.
 * </ul>
 */
public final class LockChecker {
  private LockChecker() {
  }

  public static List<String> check(List<LockHolding> holdings, List<FencedWrite> writes, List<KeyVersion> fence, int limit) {
    List<String> problems = new ArrayList<>();
    Map<String, LockHolding> holdingById = new HashMap<>();
    for (LockHolding h : holdings) holdingById.put(h.id(), h);
    Map<String, FencedWrite> writeByValue = new HashMap<>();
    for (FencedWrite w : writes) writeByValue.put(w.value(), w);
    Set<String> applied = new HashSet<>();
    for (KeyVersion v : fence) applied.add(v.modRev() + "/" + v.value());
    for (FencedWrite w : writes) {
      if (w.outcome() == Op.Outcome.OK && !applied.contains(w.headerRev() + "/" + w.value())) {
        problems.add("acknowledged fenced write missing from the store: " + w);
      }
    }
    List<KeyVersion> inOrder = new ArrayList<>(fence);
    inOrder.sort(Comparator.comparingLong(KeyVersion::modRev));
    Set<String> finished = new HashSet<>();
    LockHolding current = null;
    long currentLast = 0;
    for (KeyVersion v : inOrder) {
      FencedWrite w = writeByValue.get(v.value());
      LockHolding h = w == null ? null : holdingById.get(w.holding());
      if (w == null || h == null) {
        problems.add("a fenced write no lock holder made: " + v);
        continue;
      }
      if (w.outcome() == Op.Outcome.FAILED) problems.add("applied although its guard failed for the client: " + w + " at " + v);
      if (v.modRev() <= h.grantRev()) problems.add(h + " wrote at " + v.modRev() + ", before its lock was granted");
      if (current != h) {
        if (current != null) {
          finished.add(current.id());
          if (h.createRev() <= current.createRev()) {
            problems.add("fencing token went back at revision " + v.modRev() + ": " + h + " after " + current);
          }
          if (h.grantRev() < currentLast) {
            problems.add("overlapping holds: " + h + " was granted the lock at " + h.grantRev() + " but " + current
                + " still wrote at " + currentLast);
          }
        }
        if (finished.contains(h.id())) {
          problems.add("writes interleave: " + h + " wrote again at " + v.modRev() + " after " + current + " wrote");
        }
        current = h;
      }
      currentLast = v.modRev();
    }
    return problems.size() <= limit ? problems : new ArrayList<>(problems.subList(0, limit));
  }
}
