package io.vkv.node.fault;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A linearizability checker for a history of per-key registers (put, get, compare-and-swap), after Wing &amp; Gong's
 * search with Lowe's memoisation of (set of linearized operations, register state), applied to each key on its own
 * (a register per key is P-compositional: a history is linearizable iff each key's sub-history is).
 *
 * <p>The model: a key's state is its current value (null: absent). A get must read the state; a put sets it; a CAS
 * that swapped must have found its expected value; a CAS that did not swap must have found a value other than the
 * expected one, and reports which. An operation with an unknown outcome has no return: it may take effect at any
 * point after its invocation, or never (a get with an unknown outcome says nothing and is left out).
 *
 * <p>The search is bounded per key by a number of steps; a key whose search runs out of steps is reported as
 * undecided, never as linearizable.
 */
public final class RegisterChecker {
  public static final long DEFAULT_STEP_BUDGET = 20_000_000L;

  public enum Status { LINEARIZABLE, NOT_LINEARIZABLE, UNDECIDED }

  /** The verdict for one key: {@code explanation} tells, for a non-linearizable key, where the search got stuck. */
  public record KeyVerdict(String key, Status status, int ops, long steps, String explanation) {}

  /** The verdict for the history: the worst of the keys' verdicts. */
  public record Verdict(Status status, List<KeyVerdict> keys) {
    public boolean linearizable() {
      return status == Status.LINEARIZABLE;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(status.name());
      for (KeyVerdict k : keys) {
        if (k.status() != Status.LINEARIZABLE) {
          sb.append("\n  key ").append(k.key()).append(": ").append(k.status()).append(" (").append(k.ops())
              .append(" ops, ").append(k.steps()).append(" steps)\n").append(k.explanation());
        }
      }
      return sb.toString();
    }
  }

  private final long stepBudget;

  public RegisterChecker() {
    this(DEFAULT_STEP_BUDGET);
  }

  public RegisterChecker(long stepBudget) {
    this.stepBudget = stepBudget;
  }

  public Verdict check(List<Op> history) {
    Map<String, List<Op>> byKey = new LinkedHashMap<>();
    for (Op op : history) {
      if (op.kind() == Op.Kind.GET && !op.known()) continue; // says nothing
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    List<KeyVerdict> verdicts = new ArrayList<>();
    Status worst = Status.LINEARIZABLE;
    for (var e : byKey.entrySet()) {
      KeyVerdict v = checkKey(e.getKey(), e.getValue());
      verdicts.add(v);
      if (v.status() == Status.NOT_LINEARIZABLE) worst = Status.NOT_LINEARIZABLE;
      else if (v.status() == Status.UNDECIDED && worst == Status.LINEARIZABLE) worst = Status.UNDECIDED;
    }
    return new Verdict(worst, verdicts);
  }

  /** A call or a return in the doubly linked list of the search (Wing &amp; Gong's "dancing links"). */
  private static final class Entry {
    final Op op;
    final int index; // the op's bit in the linearized set
    final boolean call;
    final long time;
    Entry match; // call -> its return; null for an unknown outcome
    Entry prev;
    Entry next;

    Entry(Op op, int index, boolean call, long time) {
      this.op = op;
      this.index = index;
      this.call = call;
      this.time = time;
    }
  }

  private record Frame(Entry call, String state) {}

  private record Seen(BitSet linearized, String state) {}

  /** The model's step: the state after {@code op}, or {@link #REFUSED} if {@code op} cannot happen in {@code state}. */
  static String step(String state, Op op) {
    switch (op.kind()) {
      case GET:
        return Op.same(state, op.result()) ? state : REFUSED;
      case PUT:
        return op.value();
      case CAS:
        boolean matches = Op.same(state, op.expected());
        return switch (op.outcome()) {
          case OK -> matches ? op.value() : REFUSED;
          case FAILED -> !matches && Op.same(state, op.result()) ? state : REFUSED;
          case UNKNOWN -> matches ? op.value() : state; // maybe happened: a failed comparison changes nothing
        };
      default:
        throw new IllegalStateException();
    }
  }

  /** Not a value: the model refused the op. */
  static final String REFUSED = new String("<refused>");

  /**
   * Narrows unknown outcomes before the search, as values are unique per write. An unknown write whose value no
   * operation ever read or found, and no CAS that swapped or may have swapped expected, cannot matter (had it happened, the next write hid it at once), so it is
   * taken as never having happened. An unknown write whose value an operation definitely observed (a get, a failed
   * CAS's finding, a successful CAS's expectation) did happen, before the first such observer returned: it becomes a
   * known write returning then (never before its own invocation). Both keep exactly the same linearizations and
   * make the search far smaller.
   */
  static List<Op> narrowUnknowns(List<Op> ops) {
    Map<String, Long> firstObserved = new java.util.HashMap<>();
    for (Op op : ops) {
      String seen = null;
      if (op.kind() == Op.Kind.GET && op.known() || op.outcome() == Op.Outcome.FAILED) seen = op.result();
      else if (op.kind() == Op.Kind.CAS && op.outcome() == Op.Outcome.OK) seen = op.expected();
      if (seen != null) firstObserved.merge(seen, op.returnNanos(), Math::min);
    }
    // to a fixed point: an unknown CAS that is dropped mentions nothing
    List<Op> kept = new ArrayList<>(ops);
    for (boolean changed = true; changed; ) {
      java.util.Set<String> mentioned = new java.util.HashSet<>(firstObserved.keySet());
      for (Op op : kept) {
        // a CAS that failed says only "not v": had v happened unseen, the next write hid it before that CAS too
        if (op.kind() == Op.Kind.CAS && op.outcome() == Op.Outcome.UNKNOWN && op.expected() != null) {
          mentioned.add(op.expected());
        }
      }
      int before = kept.size();
      kept.removeIf(op -> !op.known() && op.kind() != Op.Kind.GET && !mentioned.contains(op.value()));
      changed = kept.size() != before;
    }
    List<Op> out = new ArrayList<>(kept.size());
    for (Op op : kept) {
      if (!op.known() && op.kind() != Op.Kind.GET && firstObserved.containsKey(op.value())) {
        long ret = Math.max(op.invokeNanos(), firstObserved.get(op.value()));
        out.add(new Op(op.id(), op.client(), op.member(), op.kind(), op.key(), op.value(), op.expected(),
            op.expectedRev(), op.invokeNanos(), ret, Op.Outcome.OK, null, 0, op.headerRev()));
      } else {
        out.add(op); // known, or only an unknown CAS expected it: stays maybe-happened
      }
    }
    return out;
  }

  KeyVerdict checkKey(String key, List<Op> all) {
    List<Op> ops = narrowUnknowns(all);
    List<Entry> events = new ArrayList<>();
    int known = 0;
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      Entry call = new Entry(op, i, true, op.invokeNanos());
      events.add(call);
      if (op.known()) {
        if (op.returnNanos() < op.invokeNanos()) throw new IllegalArgumentException("returns before its call: " + op);
        Entry ret = new Entry(op, i, false, op.returnNanos());
        call.match = ret;
        events.add(ret);
        known++;
      }
    }
    // by time; at equal times calls first, so that touching operations count as concurrent (never a false alarm)
    events.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> e.call ? 0 : 1));
    Entry head = new Entry(null, -1, true, Long.MIN_VALUE);
    Entry last = head;
    for (Entry e : events) {
      last.next = e;
      e.prev = last;
      last = e;
    }

    Deque<Frame> stack = new ArrayDeque<>();
    Set<Seen> cache = new HashSet<>();
    BitSet linearized = new BitSet(ops.size());
    String state = null; // every key starts absent
    int remaining = known;
    long steps = 0;
    int deepest = -1;
    Entry stuckAt = null;
    String stuckState = null;
    List<Op> deepestPrefix = List.of();
    Entry entry = head.next;
    while (remaining > 0) {
      if (++steps > stepBudget) {
        return new KeyVerdict(key, Status.UNDECIDED, ops.size(), steps, "  the search ran out of its " + stepBudget
            + " steps");
      }
      if (entry.call) {
        String next = step(state, entry.op);
        boolean progressed = false;
        if (next != REFUSED) {
          BitSet with = (BitSet) linearized.clone();
          with.set(entry.index);
          if (cache.add(new Seen(with, next))) {
            stack.push(new Frame(entry, state));
            state = next;
            linearized = with;
            lift(entry);
            if (entry.op.known()) remaining--;
            entry = head.next;
            progressed = true;
          }
        }
        if (!progressed) entry = entry.next;
      } else {
        // a return whose op could not be linearized before it: undo the last choice
        int depth = stack.size();
        if (depth > deepest) {
          deepest = depth;
          stuckAt = entry;
          stuckState = state;
          List<Op> prefix = new ArrayList<>();
          stack.descendingIterator().forEachRemaining(f -> prefix.add(f.call().op));
          deepestPrefix = prefix;
        }
        if (stack.isEmpty()) {
          return new KeyVerdict(key, Status.NOT_LINEARIZABLE, ops.size(), steps,
              explain(stuckAt, stuckState, deepestPrefix, ops));
        }
        Frame f = stack.pop();
        state = f.state();
        linearized.clear(f.call().index);
        unlift(f.call());
        if (f.call().op.known()) remaining++;
        entry = f.call().next;
      }
    }
    return new KeyVerdict(key, Status.LINEARIZABLE, ops.size(), steps, "");
  }

  private static void lift(Entry call) {
    call.prev.next = call.next;
    if (call.next != null) call.next.prev = call.prev;
    Entry ret = call.match;
    if (ret != null) {
      ret.prev.next = ret.next;
      if (ret.next != null) ret.next.prev = ret.prev;
    }
  }

  private static void unlift(Entry call) {
    Entry ret = call.match;
    if (ret != null) {
      ret.prev.next = ret;
      if (ret.next != null) ret.next.prev = ret;
    }
    call.prev.next = call;
    if (call.next != null) call.next.prev = call;
  }

  private static String explain(Entry stuckAt, String state, List<Op> prefix, List<Op> ops) {
    StringBuilder sb = new StringBuilder();
    Op stuck = stuckAt.op;
    sb.append("  longest linearizable prefix: ").append(prefix.size()).append(" ops, the key then held ")
        .append(state).append('\n');
    int from = Math.max(0, prefix.size() - 5);
    for (Op op : prefix.subList(from, prefix.size())) sb.append("    ... ").append(op).append('\n');
    sb.append("  no order lets this op return when it did: ").append(stuck).append('\n');
    sb.append("  ops overlapping it:\n");
    int shown = 0;
    for (Op op : ops) {
      if (op != stuck && op.invokeNanos() <= stuck.returnNanos() && op.returnNanos() >= stuck.invokeNanos()) {
        if (++shown > 20) {
          sb.append("    ...\n");
          break;
        }
        sb.append("    ").append(op).append('\n');
      }
    }
    return sb.toString();
  }
}
