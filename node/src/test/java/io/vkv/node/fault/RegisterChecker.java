package io.vkv.node.fault;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * <p>The search ({@link LinearizabilitySearch}, shared with {@link TxnChecker}'s model) is bounded per key by a number
 * of steps; a key whose search runs out of steps is reported as undecided, never as linearizable.
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

  /** The register model of one key: its state is its value, null for absent. */
  private static final LinearizabilitySearch.Model<Op, String> MODEL = new LinearizabilitySearch.Model<>() {
    @Override
    public String initial() {
      return null; // every key starts absent
    }

    @Override
    public String step(String state, Op op) {
      return RegisterChecker.step(state, op);
    }

    @Override
    public String refused() {
      return REFUSED;
    }
  };

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
    LinearizabilitySearch.Result r = new LinearizabilitySearch<>(MODEL, stepBudget, "the key").search(ops);
    return new KeyVerdict(key, r.status(), ops.size(), r.steps(), r.explanation());
  }
}
