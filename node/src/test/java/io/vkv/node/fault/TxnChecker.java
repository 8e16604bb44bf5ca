package io.vkv.node.fault;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A linearizability checker for the txn workload's history: its group of keys is one object whose state is the
 * tuple of the keys' values (null: absent), searched by {@link LinearizabilitySearch} as {@link RegisterChecker}
 * searches one key. A multi-key txn is one step, so a read that sees one key before a txn and another key after it
 * (a torn read) has no linearization.
 *
 * <p>The model: a READ must find the state's values of its keys; a WRITE sets its keys' values; a CAS that swapped
 * must have found its expected values (comparing mod revisions is comparing values, as values are unique per
 * write); a CAS that did not swap must have found something else on at least one of its keys, and reports what.
 * An unknown WRITE or CAS may take effect at any point after its invocation, or never; an unknown READ says nothing.
 */
public final class TxnChecker {

  /** The verdict for the group. */
  public record Verdict(RegisterChecker.Status status, List<String> group, int ops, long steps, String explanation) {
    public boolean linearizable() {
      return status == RegisterChecker.Status.LINEARIZABLE;
    }

    @Override
    public String toString() {
      return status + (linearizable() ? "" : "\n  group " + group + " (" + ops + " ops, " + steps + " steps)\n" + explanation);
    }
  }

  private final long stepBudget;

  public TxnChecker() {
    this(RegisterChecker.DEFAULT_STEP_BUDGET);
  }

  public TxnChecker(long stepBudget) {
    this.stepBudget = stepBudget;
  }

  public Verdict check(List<TxnOp> history) {
    TreeSet<String> keys = new TreeSet<>();
    List<TxnOp> ops = new ArrayList<>();
    for (TxnOp op : history) {
      keys.addAll(op.keys());
      if (op.kind() != TxnOp.Kind.READ || op.known()) ops.add(op);
    }
    List<String> group = List.copyOf(keys);
    ops = narrowUnknowns(ops);
    LinearizabilitySearch.Result r = new LinearizabilitySearch<>(new GroupModel(group), stepBudget, "the group")
        .search(ops);
    return new Verdict(r.status(), group, ops.size(), r.steps(), r.explanation());
  }

  /** The group's state: one value per key, in the group's key order. */
  private static final class GroupModel implements LinearizabilitySearch.Model<TxnOp, List<String>> {
    private static final List<String> REFUSED = List.of("<refused>");
    private final Map<String, Integer> index = new HashMap<>();
    private final int size;

    GroupModel(List<String> group) {
      for (int i = 0; i < group.size(); i++) index.put(group.get(i), i);
      this.size = group.size();
    }

    @Override
    public List<String> initial() {
      return Arrays.asList(new String[size]); // every key starts absent
    }

    @Override
    public List<String> step(List<String> state, TxnOp op) {
      return switch (op.kind()) {
        case READ -> holds(state, op.keys(), op.result()) ? state : REFUSED;
        case WRITE -> with(state, op.keys(), op.values());
        case CAS -> {
          boolean matches = holds(state, op.keys(), op.expected());
          yield switch (op.outcome()) {
            case OK -> matches ? with(state, op.keys(), op.values()) : REFUSED;
            case FAILED -> !matches && holds(state, op.keys(), op.result()) ? state : REFUSED;
            case UNKNOWN -> matches ? with(state, op.keys(), op.values()) : state; // a failed comparison changes nothing
          };
        }
      };
    }

    private boolean holds(List<String> state, List<String> keys, List<String> values) {
      for (int i = 0; i < keys.size(); i++) {
        if (!Op.same(state.get(index.get(keys.get(i))), values.get(i))) return false;
      }
      return true;
    }

    private List<String> with(List<String> state, List<String> keys, List<String> values) {
      String[] next = state.toArray(new String[0]);
      for (int i = 0; i < keys.size(); i++) next[index.get(keys.get(i))] = values.get(i);
      return Arrays.asList(next);
    }

    @Override
    public List<String> refused() {
      return REFUSED;
    }
  }

  /**
   * Narrows unknown outcomes before the search, as {@link RegisterChecker#narrowUnknowns} does, a txn at a time (its
   * values are unique, so any one of them names it): an unknown write none of whose values any operation read,
   * found, expected in a CAS that swapped, or expected in a CAS that may have swapped, is dropped (had it happened,
   * later writes hid each of its keys before anything looked); an unknown write one of whose values an operation
   * definitely observed did happen, before the first such observer returned, and becomes a known write ending then.
   */
  static List<TxnOp> narrowUnknowns(List<TxnOp> ops) {
    Map<String, Long> firstObserved = new HashMap<>();
    for (TxnOp op : ops) {
      List<String> seen = List.of();
      if (op.kind() == TxnOp.Kind.READ && op.known() || op.outcome() == Op.Outcome.FAILED) seen = op.result();
      else if (op.kind() == TxnOp.Kind.CAS && op.outcome() == Op.Outcome.OK) seen = op.expected();
      for (String v : seen) if (v != null) firstObserved.merge(v, op.returnNanos(), Math::min);
    }
    List<TxnOp> kept = new ArrayList<>(ops);
    for (boolean changed = true; changed; ) {
      Set<String> mentioned = new HashSet<>(firstObserved.keySet());
      for (TxnOp op : kept) {
        if (op.kind() == TxnOp.Kind.CAS && op.outcome() == Op.Outcome.UNKNOWN) mentioned.addAll(op.expected());
      }
      int before = kept.size();
      kept.removeIf(op -> !op.known() && op.values().stream().noneMatch(mentioned::contains));
      changed = kept.size() != before;
    }
    List<TxnOp> out = new ArrayList<>(kept.size());
    for (TxnOp op : kept) {
      Long observed = op.known() ? null
          : op.values().stream().map(firstObserved::get).filter(t -> t != null).min(Long::compare).orElse(null);
      out.add(observed == null ? op : op.knownAt(Math.max(op.invokeNanos(), observed)));
    }
    return out;
  }
}
