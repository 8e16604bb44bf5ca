package io.vkv.node.fault;

import static io.vkv.node.fault.Op.cas;
import static io.vkv.node.fault.Op.casUnknown;
import static io.vkv.node.fault.Op.get;
import static io.vkv.node.fault.Op.put;
import static io.vkv.node.fault.Op.putUnknown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.fault.RegisterChecker.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RegisterCheckerTest {
  final RegisterChecker checker = new RegisterChecker();

  private Status verdict(Op... ops) {
    return checker.check(List.of(ops)).status();
  }

  private void linearizable(Op... ops) {
    RegisterChecker.Verdict v = checker.check(List.of(ops));
    assertEquals(Status.LINEARIZABLE, v.status(), v::toString);
  }

  private void notLinearizable(Op... ops) {
    RegisterChecker.Verdict v = checker.check(List.of(ops));
    assertEquals(Status.NOT_LINEARIZABLE, v.status(), v::toString);
  }

  @Test
  void sequentialHistoryIsLinearizable() {
    linearizable(
        get(0, "k", null, 0, 1),
        put(1, "k", "a", 2, 3),
        get(2, "k", "a", 4, 5),
        cas(3, "k", "a", "b", true, null, 6, 7),
        cas(4, "k", "a", "c", false, "b", 8, 9),
        get(5, "k", "b", 10, 11),
        cas(6, "k", null, "d", false, "b", 12, 13));
  }

  @Test
  void staleReadIsFlagged() {
    notLinearizable(
        put(0, "k", "a", 0, 10),
        put(1, "k", "b", 20, 30),
        get(2, "k", "a", 40, 50));
  }

  @Test
  void staleReadFromAnotherClientAfterTheAckIsFlagged() {
    // the read starts after b was acknowledged, on any member: it must see b
    notLinearizable(
        put(0, "k", "a", 0, 10),
        put(1, "k", "b", 15, 30),
        get(2, "k", "b", 31, 35),
        get(3, "k", "a", 36, 40));
  }

  @Test
  void lostAcknowledgedWriteIsFlagged() {
    notLinearizable(
        put(0, "k", "a", 0, 10),
        get(1, "k", null, 20, 30));
    notLinearizable(
        put(0, "k", "a", 0, 10),
        cas(1, "k", "a", "b", true, null, 20, 30),
        get(2, "k", "a", 40, 50)); // the CAS's write vanished
  }

  @Test
  void readOfAValueNeverWrittenIsFlagged() {
    notLinearizable(
        put(0, "k", "a", 0, 10),
        get(1, "k", "zzz", 5, 30));
  }

  @Test
  void readOfAnUncommittedWriteThatThenVanishesIsFlagged() {
    // b may or may not have happened, but once read it cannot un-happen
    notLinearizable(
        put(0, "k", "a", 0, 10),
        putUnknown(1, "k", "b", 20),
        get(2, "k", "b", 30, 40),
        get(3, "k", "a", 50, 60));
  }

  @Test
  void concurrentWritesMayTakeEffectInEitherOrder() {
    linearizable(
        put(0, "k", "a", 0, 50),
        put(1, "k", "b", 10, 60),
        get(2, "k", null, 5, 8),
        get(3, "k", "a", 70, 80));
    linearizable(
        put(0, "k", "a", 0, 50),
        put(1, "k", "b", 10, 60),
        get(2, "k", "b", 70, 80));
    // but not both orders one after the other
    notLinearizable(
        put(0, "k", "a", 0, 50),
        put(1, "k", "b", 10, 60),
        get(2, "k", "a", 70, 80),
        get(3, "k", "b", 90, 100));
  }

  @Test
  void readsOverlappingAWriteMaySeeEitherValueButNotGoBack() {
    linearizable(
        put(0, "k", "a", 0, 10),
        put(1, "k", "b", 20, 100),
        get(2, "k", "a", 25, 30),
        get(3, "k", "b", 40, 50),
        get(4, "k", "b", 60, 70));
    notLinearizable(
        put(0, "k", "a", 0, 10),
        put(1, "k", "b", 20, 100),
        get(2, "k", "b", 25, 30),
        get(3, "k", "a", 40, 50));
  }

  @Test
  void unknownOutcomesMayHappenLateOrNever() {
    linearizable(
        put(0, "k", "a", 0, 10),
        putUnknown(1, "k", "b", 20),
        get(2, "k", "a", 30, 40),
        get(3, "k", "b", 50, 60), // took effect long after the client gave up
        get(4, "k", "b", 70, 80));
    linearizable(
        put(0, "k", "a", 0, 10),
        putUnknown(1, "k", "b", 20),
        get(2, "k", "a", 30, 40)); // never happened
    linearizable(
        put(0, "k", "a", 0, 10),
        casUnknown(1, "k", "a", "b", 20),
        casUnknown(2, "k", "a", "c", 21),
        get(3, "k", "c", 30, 40),
        cas(4, "k", "c", "d", true, null, 50, 60),
        get(5, "k", "d", 70, 80));
  }

  @Test
  void unknownOutcomesCannotTakeEffectBeforeTheyWereInvoked() {
    notLinearizable(
        put(0, "k", "a", 0, 10),
        get(1, "k", "b", 20, 30),
        putUnknown(2, "k", "b", 40));
  }

  @Test
  void twoSwapsFromTheSameValueCannotBothSucceed() {
    notLinearizable(
        put(0, "k", "a", 0, 10),
        cas(1, "k", "a", "b", true, null, 20, 40),
        cas(2, "k", "a", "c", true, null, 25, 45));
    linearizable(
        put(0, "k", "a", 0, 10),
        cas(1, "k", "a", "b", true, null, 20, 40),
        cas(2, "k", "a", "c", false, "b", 25, 45));
  }

  @Test
  void aFailedSwapMustReportWhatWasThere() {
    notLinearizable(
        put(0, "k", "a", 0, 10),
        cas(1, "k", "x", "b", false, "y", 20, 30));
    notLinearizable(
        put(0, "k", "a", 0, 10),
        cas(1, "k", "a", "b", false, "a", 20, 30)); // found what it expected, yet did not swap
  }

  @Test
  void keysAreCheckedApart() {
    RegisterChecker.Verdict v = checker.check(List.of(
        put(0, "k1", "a", 0, 10),
        put(1, "k2", "b", 0, 10),
        get(2, "k1", "a", 20, 30),
        get(3, "k2", "a", 20, 30))); // k2 never held a
    assertEquals(Status.NOT_LINEARIZABLE, v.status());
    assertEquals(Status.LINEARIZABLE, v.keys().get(0).status());
    assertEquals(Status.NOT_LINEARIZABLE, v.keys().get(1).status());
    assertTrue(v.toString().contains("key k2"), v::toString);
  }

  @Test
  void aSearchOutOfStepsIsUndecidedNeverLinearizable() {
    List<Op> h = randomHistory(new Random(7), 1, 400, 8, 0.1);
    RegisterChecker.Verdict v = new RegisterChecker(50).check(h);
    assertEquals(Status.UNDECIDED, v.status());
    assertTrue(!v.linearizable());
  }

  /** Random linearizable histories of a few thousand ops, then each with one read made stale. */
  @Test
  void largeConcurrentHistoriesAreDecidedWithinTheBudget() {
    for (int s = 0; s < 5; s++) {
      int seed = s;
      Random random = new Random(seed);
      List<Op> h = randomHistory(random, 8, 3_000, 8, 0.05);
      long t0 = System.nanoTime();
      RegisterChecker.Verdict v = checker.check(h);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(Status.LINEARIZABLE, v.status(), () -> "seed " + seed + ": " + v);
      assertTrue(ms < 20_000, "seed " + seed + " took " + ms + " ms");

      List<Op> broken = makeOneReadStale(h, random);
      RegisterChecker.Verdict b = checker.check(broken);
      assertEquals(Status.NOT_LINEARIZABLE, b.status(), () -> "seed " + seed + " with a stale read");
    }
  }

  /** Many unknown outcomes (a third of the writes) and a violation only at the very end: still decided. */
  @Test
  void violationsAtTheEndOfHistoriesFullOfUnknownOutcomesAreDecided() {
    for (int s = 0; s < 5; s++) {
      int seed = s;
      Random random = new Random(100 + seed);
      List<Op> h = new ArrayList<>(randomHistory(random, 4, 2_000, 6, 0.3));
      RegisterChecker.Verdict v = checker.check(h);
      assertEquals(Status.LINEARIZABLE, v.status(), () -> "seed " + seed + ": " + v);
      // a final read, after everything, of a value that an acknowledged put wrote before another acknowledged put
      long end = h.stream().filter(Op::known).mapToLong(Op::returnNanos).max().orElseThrow() + 10_000;
      List<Op> puts = h.stream().filter(o -> o.kind() == Op.Kind.PUT && o.known() && o.key().equals("k0")).toList();
      Op first = puts.get(0);
      Op later = puts.stream().filter(o -> o.invokeNanos() > first.returnNanos()).findFirst().orElseThrow();
      assertTrue(later.returnNanos() < end);
      h.add(get(h.size(), "k0", first.value(), end, end + 10));
      RegisterChecker.Verdict b = checker.check(h);
      assertEquals(Status.NOT_LINEARIZABLE, b.status(), () -> "seed " + seed + " with a stale final read: " + b);
    }
  }

  @Test
  void anUnknownWriteSeenBeforeItWasInvokedIsFlagged() {
    notLinearizable(
        put(0, "k", "a", 0, 10),
        get(1, "k", "b", 20, 30),
        casUnknown(2, "k", "a", "b", 40));
  }

  @Test
  void revisionChecksFlagRevisionsGoingBackAndDuplicates() {
    Op w1 = new Op(0, 0, "m1", Op.Kind.PUT, "k", "a", null, 0, 0, 10, Op.Outcome.OK, null, 0, 5);
    Op r1 = new Op(1, 0, "m1", Op.Kind.GET, "k", null, null, 0, 20, 30, Op.Outcome.OK, "a", 5, 5);
    Op w2 = new Op(2, 0, "m1", Op.Kind.PUT, "k", "b", null, 0, 40, 50, Op.Outcome.OK, null, 0, 6);
    assertEquals(List.of(), RevisionChecks.check(List.of(w1, r1, w2), 10));
    Op back = new Op(3, 0, "m1", Op.Kind.GET, "k", null, null, 0, 60, 70, Op.Outcome.OK, "a", 5, 4);
    assertTrue(RevisionChecks.check(List.of(w1, r1, w2, back), 10).stream().anyMatch(p -> p.contains("went back")));
    Op sameRev = new Op(4, 0, "m2", Op.Kind.PUT, "j", "c", null, 0, 80, 90, Op.Outcome.OK, null, 0, 6);
    assertTrue(RevisionChecks.check(List.of(w1, r1, w2, sameRev), 10).stream()
        .anyMatch(p -> p.contains("two writes at revision 6")), "duplicate revision");
    Op wrongModRev = new Op(5, 0, "m2", Op.Kind.GET, "k", null, null, 0, 80, 90, Op.Outcome.OK, "b", 7, 7);
    assertTrue(RevisionChecks.check(List.of(w1, r1, w2, wrongModRev), 10).stream()
        .anyMatch(p -> p.contains("value b")), "b was written at 6");
    Op phantom = new Op(6, 0, "m2", Op.Kind.GET, "k", null, null, 0, 80, 90, Op.Outcome.OK, "zz", 6, 7);
    assertTrue(RevisionChecks.check(List.of(w1, r1, w2, phantom), 10).stream()
        .anyMatch(p -> p.contains("never written")));
  }

  @Test
  void historyLinesRoundTrip() {
    List<Op> h = randomHistory(new Random(3), 3, 200, 4, 0.2);
    for (Op op : h) assertEquals(op, Op.fromLine(op.toLine()));
  }

  // ---- a simulated linearizable register, for large histories ----

  /**
   * {@code clients} sequential clients on {@code keys} keys; each op gets a random interval and a linearization
   * point inside it; applying the ops in the order of those points to real registers gives the results. A share
   * {@code unknown} of writes end with an unknown outcome; half of those never take effect.
   */
  static List<Op> randomHistory(Random random, int keys, int n, int clients, double unknown) {
    record Planned(int client, long invoke, long point, long ret, Op.Kind kind, String key, boolean effect, boolean unknown) {}
    List<Planned> plan = new ArrayList<>();
    long[] clock = new long[clients];
    for (int i = 0; i < n; i++) {
      int c = random.nextInt(clients);
      long invoke = clock[c] + 1 + random.nextInt(50);
      long ret = invoke + 1 + random.nextInt(200);
      long point = invoke + random.nextInt((int) (ret - invoke));
      Op.Kind kind = Op.Kind.values()[random.nextInt(3)];
      boolean unk = kind != Op.Kind.GET && random.nextDouble() < unknown;
      boolean effect = !unk || random.nextBoolean();
      if (unk && effect) point = invoke + random.nextInt(2_000); // may land long after the client gave up
      plan.add(new Planned(c, invoke, point, ret, kind, "k" + random.nextInt(keys), effect, unk));
      clock[c] = ret;
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) order.add(i);
    order.sort(Comparator.comparingLong(i -> plan.get(i).point()));
    Map<String, String> state = new HashMap<>();
    Map<String, List<String>> written = new HashMap<>();
    Op[] ops = new Op[plan.size()];
    for (int i : order) {
      Planned p = plan.get(i);
      String cur = state.get(p.key());
      String value = "v" + i;
      switch (p.kind()) {
        case GET -> ops[i] = get(i, p.key(), cur, p.invoke(), p.ret());
        case PUT -> {
          if (p.effect()) state.put(p.key(), value);
          written.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(value);
          ops[i] = p.unknown() ? putUnknown(i, p.key(), value, p.invoke()) : put(i, p.key(), value, p.invoke(), p.ret());
        }
        case CAS -> {
          List<String> w = written.getOrDefault(p.key(), List.of());
          String expected = random.nextBoolean() || w.isEmpty() ? cur : w.get(random.nextInt(w.size()));
          boolean swapped = java.util.Objects.equals(cur, expected);
          if (swapped && p.effect()) state.put(p.key(), value);
          written.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(value);
          ops[i] = p.unknown() ? casUnknown(i, p.key(), expected, value, p.invoke())
              : cas(i, p.key(), expected, value, swapped, swapped ? null : cur, p.invoke(), p.ret());
        }
        default -> throw new IllegalStateException();
      }
    }
    return List.of(ops);
  }

  /** The same history with one read, that a later write on its key preceded in real time, reading an older value. */
  static List<Op> makeOneReadStale(List<Op> h, Random random) {
    List<Op> out = new ArrayList<>(h);
    for (int attempt = 0; attempt < 10_000; attempt++) {
      int i = random.nextInt(h.size());
      Op r = h.get(i);
      if (r.kind() != Op.Kind.GET || r.result() == null) continue;
      // two acknowledged puts on the key, both ended before the read started: read the earlier one's value
      List<Op> before = h.stream().filter(o -> o.key().equals(r.key()) && o.kind() == Op.Kind.PUT && o.known()
          && o.returnNanos() < r.invokeNanos()).sorted(Comparator.comparingLong(Op::returnNanos)).toList();
      for (int a = 0; a < before.size(); a++) {
        for (int b = a + 1; b < before.size(); b++) {
          Op first = before.get(a);
          Op second = before.get(b);
          if (first.returnNanos() < second.invokeNanos() && !first.value().equals(r.result())) {
            out.set(i, get(r.id(), r.key(), first.value(), r.invokeNanos(), r.returnNanos()));
            return out;
          }
        }
      }
    }
    throw new AssertionError("no read to make stale");
  }
}
