package io.vkv.node.fault;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Wing &amp; Gong's search for a linearization of one object's history, with Lowe's memoisation of (set of
 * linearized operations, state), over a {@link Model} that says what each operation does to the object's state.
 * An operation with an unknown outcome has no return: it may be linearized at any point after its call, or never.
 * The search is bounded by a number of steps; running out of them is {@link RegisterChecker.Status#UNDECIDED}.
 *
 * @param <O> an operation
 * @param <S> the object's state (compared with equals, kept in the memo)
 */
final class LinearizabilitySearch<O extends TimedOp, S> {

  /** The sequential specification of one object, and how to read an operation's times. */
  interface Model<O extends TimedOp, S> {
    S initial();

    /** The state after {@code op}, or {@link #refused()} if {@code op} cannot happen in {@code state}. */
    S step(S state, O op);

    /** A value that is not a state, returned by {@link #step} (compared by identity). */
    S refused();
  }

  /** What the search found: {@code explanation} tells, for a non-linearizable history, where it got stuck. */
  record Result(RegisterChecker.Status status, long steps, String explanation) {}

  private final Model<O, S> model;
  private final long stepBudget;
  private final String object;

  /** @param object what the object is called in explanations ("the key", "the group") */
  LinearizabilitySearch(Model<O, S> model, long stepBudget, String object) {
    this.model = model;
    this.stepBudget = stepBudget;
    this.object = object;
  }

  /** A call or a return in the doubly linked list of the search (Wing &amp; Gong's "dancing links"). */
  private static final class Entry<O> {
    final O op;
    final int index; // the op's bit in the linearized set
    final boolean call;
    final boolean known;
    final long time;
    Entry<O> match; // call -> its return; null for an unknown outcome
    Entry<O> prev;
    Entry<O> next;

    Entry(O op, int index, boolean call, boolean known, long time) {
      this.op = op;
      this.index = index;
      this.call = call;
      this.known = known;
      this.time = time;
    }
  }

  private record Frame<O extends TimedOp, S>(Entry<O> call, S state) {}

  private record Seen<S>(BitSet linearized, S state) {}

  Result search(List<O> ops) {
    List<Entry<O>> events = new ArrayList<>();
    int known = 0;
    for (int i = 0; i < ops.size(); i++) {
      O op = ops.get(i);
      boolean isKnown = op.known();
      Entry<O> call = new Entry<>(op, i, true, isKnown, op.invokeNanos());
      events.add(call);
      if (isKnown) {
        if (op.returnNanos() < op.invokeNanos()) throw new IllegalArgumentException("returns before its call: " + op);
        Entry<O> ret = new Entry<>(op, i, false, true, op.returnNanos());
        call.match = ret;
        events.add(ret);
        known++;
      }
    }
    // by time; at equal times calls first, so that touching operations count as concurrent (never a false alarm)
    events.sort(Comparator.comparingLong((Entry<O> e) -> e.time).thenComparing(e -> e.call ? 0 : 1));
    Entry<O> head = new Entry<>(null, -1, true, false, Long.MIN_VALUE);
    Entry<O> last = head;
    for (Entry<O> e : events) {
      last.next = e;
      e.prev = last;
      last = e;
    }

    Deque<Frame<O, S>> stack = new ArrayDeque<>();
    Set<Seen<S>> cache = new HashSet<>();
    BitSet linearized = new BitSet(ops.size());
    S state = model.initial();
    int remaining = known;
    long steps = 0;
    int deepest = -1;
    Entry<O> stuckAt = null;
    S stuckState = null;
    List<O> deepestPrefix = List.of();
    Entry<O> entry = head.next;
    while (remaining > 0) {
      if (++steps > stepBudget) {
        return new Result(RegisterChecker.Status.UNDECIDED, steps, "  the search ran out of its " + stepBudget + " steps");
      }
      if (entry.call) {
        S next = model.step(state, entry.op);
        boolean progressed = false;
        if (next != model.refused()) {
          BitSet with = (BitSet) linearized.clone();
          with.set(entry.index);
          if (cache.add(new Seen<>(with, next))) {
            stack.push(new Frame<>(entry, state));
            state = next;
            linearized = with;
            lift(entry);
            if (entry.known) remaining--;
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
          List<O> prefix = new ArrayList<>();
          stack.descendingIterator().forEachRemaining(f -> prefix.add(f.call().op));
          deepestPrefix = prefix;
        }
        if (stack.isEmpty()) {
          return new Result(RegisterChecker.Status.NOT_LINEARIZABLE, steps,
              explain(stuckAt.op, stuckState, deepestPrefix, ops));
        }
        Frame<O, S> f = stack.pop();
        state = f.state();
        linearized.clear(f.call().index);
        unlift(f.call());
        if (f.call().known) remaining++;
        entry = f.call().next;
      }
    }
    return new Result(RegisterChecker.Status.LINEARIZABLE, steps, "");
  }

  private static <O> void lift(Entry<O> call) {
    call.prev.next = call.next;
    if (call.next != null) call.next.prev = call.prev;
    Entry<O> ret = call.match;
    if (ret != null) {
      ret.prev.next = ret.next;
      if (ret.next != null) ret.next.prev = ret.prev;
    }
  }

  private static <O> void unlift(Entry<O> call) {
    Entry<O> ret = call.match;
    if (ret != null) {
      ret.prev.next = ret;
      if (ret.next != null) ret.next.prev = ret;
    }
    call.prev.next = call;
    if (call.next != null) call.next.prev = call;
  }

  private String explain(O stuck, S state, List<O> prefix, List<O> ops) {
    StringBuilder sb = new StringBuilder();
    sb.append("  longest linearizable prefix: ").append(prefix.size()).append(" ops, ").append(object).append(" then held ")
        .append(state).append('\n');
    int from = Math.max(0, prefix.size() - 5);
    for (O op : prefix.subList(from, prefix.size())) sb.append("    ... ").append(op).append('\n');
    sb.append("  no order lets this op return when it did: ").append(stuck).append('\n');
    sb.append("  ops overlapping it:\n");
    int shown = 0;
    long stuckRet = stuck.known() ? stuck.returnNanos() : Op.NEVER;
    for (O op : ops) {
      long ret = op.known() ? op.returnNanos() : Op.NEVER;
      if (op != stuck && op.invokeNanos() <= stuckRet && ret >= stuck.invokeNanos()) {
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
