package io.vkv.node.fault;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The history's revisions, besides the register checker: etcd's revision is one counter for the whole key space, so
 * <ul>
 *   <li>an operation that starts after another one ended answers with a header revision at least as high (strictly
 *       higher for a write that took effect), on the same member and, since reads are linearizable, across members;
 *   <li>two writes that took effect never share a revision;
 *   <li>a value (unique per write) is always seen with the same mod revision, the one its put was answered with.
 * </ul>
 */
public final class RevisionChecks {
  private RevisionChecks() {
  }

  /** Every violation found, at most {@code limit} of each kind (empty: none). */
  public static List<String> check(List<Op> history, int limit) {
    List<String> problems = new ArrayList<>();
    Map<String, List<Op>> byMember = new LinkedHashMap<>();
    for (Op op : history) if (op.known()) byMember.computeIfAbsent(op.member(), m -> new ArrayList<>()).add(op);
    for (var e : byMember.entrySet()) monotonic("member " + e.getKey(), e.getValue(), problems, limit);
    monotonic("across members", history.stream().filter(Op::known).toList(), problems, limit);

    Map<Long, Op> writeAt = new HashMap<>();
    int dup = 0;
    for (Op op : history) {
      if (!op.ackedWrite()) continue;
      Op other = writeAt.putIfAbsent(op.headerRev(), op);
      if (other != null && dup++ < limit) problems.add("two writes at revision " + op.headerRev() + ": " + other + " and " + op);
    }

    Map<String, Op> writeOf = new HashMap<>();
    for (Op op : history) if (op.mayWrite()) writeOf.put(op.value(), op);
    Map<String, Long> seenRev = new HashMap<>();
    Map<String, Op> seenBy = new HashMap<>();
    int bad = 0;
    for (Op op : history) {
      String v = null;
      long rev = 0;
      if (op.kind() == Op.Kind.GET && op.known() || op.outcome() == Op.Outcome.FAILED) {
        v = op.result();
        rev = op.resultModRev();
      } else if (op.kind() == Op.Kind.CAS) {
        v = op.expected();
        rev = op.expectedRev();
      }
      if (op.ackedWrite()) {
        Long before = seenRev.putIfAbsent(op.value(), op.headerRev());
        seenBy.putIfAbsent(op.value(), op);
        if (before != null && before != op.headerRev() && bad++ < limit) {
          problems.add("value " + op.value() + " written at " + op.headerRev() + " but seen at " + before + " by "
              + seenBy.get(op.value()));
        }
      }
      if (v == null) continue;
      Long before = seenRev.putIfAbsent(v, rev);
      seenBy.putIfAbsent(v, op);
      if (before != null && before != rev && bad++ < limit) {
        problems.add("value " + v + " seen at mod revision " + rev + " by " + op + " and at " + before + " by "
            + seenBy.get(v));
      }
      if (!writeOf.containsKey(v) && bad++ < limit) problems.add("value " + v + " was never written: " + op);
    }
    return problems;
  }

  /** A.return before B.invoke: B's header revision >= A's, > for a write that took effect. */
  private static void monotonic(String where, List<Op> ops, List<String> problems, int limit) {
    List<Op> byInvoke = new ArrayList<>(ops);
    byInvoke.sort(Comparator.comparingLong(Op::invokeNanos));
    List<Op> byReturn = new ArrayList<>(ops);
    byReturn.sort(Comparator.comparingLong(Op::returnNanos));
    Function<Op, Long> rev = Op::headerRev;
    int r = 0;
    Op highest = null;
    int found = 0;
    for (Op b : byInvoke) {
      while (r < byReturn.size() && byReturn.get(r).returnNanos() < b.invokeNanos()) {
        Op a = byReturn.get(r++);
        if (highest == null || rev.apply(a) > rev.apply(highest)) highest = a;
      }
      if (highest == null) continue;
      boolean ok = b.ackedWrite() ? b.headerRev() > highest.headerRev() : b.headerRev() >= highest.headerRev();
      if (!ok && found++ < limit) {
        problems.add(where + ": revision went back: " + highest + " ended before " + b + " started");
      }
    }
  }
}
