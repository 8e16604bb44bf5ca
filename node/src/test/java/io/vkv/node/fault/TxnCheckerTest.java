package io.vkv.node.fault;

import static io.vkv.node.fault.TxnOp.cas;
import static io.vkv.node.fault.TxnOp.casUnknown;
import static io.vkv.node.fault.TxnOp.read;
import static io.vkv.node.fault.TxnOp.write;
import static io.vkv.node.fault.TxnOp.writeUnknown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.fault.RegisterChecker.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TxnCheckerTest {
  static final List<String> AB = List.of("a", "b");
  static final List<String> ABC = List.of("a", "b", "c");

  final TxnChecker checker = new TxnChecker();

  /** A list that may hold nulls (absent keys). */
  private static List<String> vs(String... values) {
    return Arrays.asList(values);
  }

  private void linearizable(TxnOp... ops) {
    TxnChecker.Verdict v = checker.check(List.of(ops));
    assertEquals(Status.LINEARIZABLE, v.status(), v::toString);
  }

  private void notLinearizable(TxnOp... ops) {
    TxnChecker.Verdict v = checker.check(List.of(ops));
    assertEquals(Status.NOT_LINEARIZABLE, v.status(), v::toString);
  }

  @Test
  void sequentialHistoryIsLinearizable() {
    linearizable(
        read(0, ABC, vs(null, null, null), 0, 1),
        write(1, ABC, vs("x", "x", "x"), 2, 3),
        write(2, AB, vs("y", "y"), 4, 5),
        read(3, ABC, vs("y", "y", "x"), 6, 7),
        cas(4, List.of("b", "c"), vs("y", "x"), vs("z", "z"), true, null, 8, 9),
        cas(5, AB, vs("y", "y"), vs("w", "w"), false, vs("y", "z"), 10, 11),
        read(6, ABC, vs("y", "z", "z"), 12, 13));
  }

  @Test
  void aTornReadIsFlagged() {
    // one txn wrote both keys at once: no read may see one key before it and the other after it
    notLinearizable(
        write(0, AB, vs("x", "x"), 0, 10),
        write(1, AB, vs("y", "y"), 20, 40),
        read(2, AB, vs("y", "x"), 25, 35));
    // even when everything overlaps
    notLinearizable(
        write(0, AB, vs("x", "x"), 0, 100),
        write(1, AB, vs("y", "y"), 0, 100),
        read(2, AB, vs("x", "y"), 0, 100));
    // the same reads of either whole txn are fine
    linearizable(
        write(0, AB, vs("x", "x"), 0, 100),
        write(1, AB, vs("y", "y"), 0, 100),
        read(2, AB, vs("x", "x"), 0, 100),
        read(3, AB, vs("y", "y"), 0, 100));
  }

  @Test
  void aReadMixingTxnsIsFineWhenAPartialWriteExplainsIt() {
    linearizable(
        write(0, ABC, vs("x", "x", "x"), 0, 10),
        write(1, AB, vs("y", "y"), 20, 30),
        read(2, ABC, vs("y", "y", "x"), 40, 50));
    notLinearizable(
        write(0, ABC, vs("x", "x", "x"), 0, 10),
        write(1, AB, vs("y", "y"), 20, 30),
        read(2, ABC, vs("y", "x", "x"), 40, 50));
  }

  @Test
  void aLostAcknowledgedTxnIsFlagged() {
    notLinearizable(
        write(0, AB, vs("x", "x"), 0, 10),
        read(1, AB, vs(null, null), 20, 30));
    notLinearizable(
        write(0, AB, vs("x", "x"), 0, 10),
        cas(1, AB, vs("x", "x"), vs("y", "y"), true, null, 20, 30),
        read(2, AB, vs("x", "x"), 40, 50)); // the swap's writes vanished
  }

  @Test
  void aStaleReadIsFlagged() {
    notLinearizable(
        write(0, AB, vs("x", "x"), 0, 10),
        write(1, AB, vs("y", "y"), 20, 30),
        read(2, AB, vs("x", "x"), 40, 50));
    // on another client, after someone else saw the newer state
    notLinearizable(
        write(0, AB, vs("x", "x"), 0, 10),
        write(1, AB, vs("y", "y"), 15, 30),
        read(2, AB, vs("y", "y"), 16, 20),
        read(3, AB, vs("x", "x"), 21, 25));
  }

  @Test
  void aReadOfAnUnacknowledgedTxnThatThenVanishesIsFlagged() {
    // u never answered; seen once, then the older state again: impossible
    notLinearizable(
        write(0, AB, vs("x", "x"), 0, 10),
        writeUnknown(1, AB, vs("u", "u"), 20),
        read(2, AB, vs("u", "u"), 30, 40),
        read(3, AB, vs("x", "x"), 50, 60));
    // u seen after w ended, so u came after w; w seen again afterwards: impossible (values are unique)
    notLinearizable(
        writeUnknown(0, AB, vs("u", "u"), 0),
        write(1, AB, vs("w", "w"), 10, 20),
        read(2, AB, vs("u", "u"), 30, 40),
        read(3, AB, vs("w", "w"), 50, 60));
    // u seen before it was invoked
    notLinearizable(
        write(0, AB, vs("x", "x"), 0, 10),
        read(1, AB, vs("u", "u"), 20, 30),
        writeUnknown(2, AB, vs("u", "u"), 40));
  }

  @Test
  void unknownOutcomesMayHappenLateOrNever() {
    // u took effect after w, long after its call
    linearizable(
        writeUnknown(0, AB, vs("u", "u"), 0),
        write(1, AB, vs("w", "w"), 10, 20),
        read(2, AB, vs("w", "w"), 30, 40),
        read(3, AB, vs("u", "u"), 50, 60));
    // u never took effect
    linearizable(
        write(0, AB, vs("x", "x"), 0, 10),
        writeUnknown(1, AB, vs("u", "u"), 20),
        read(2, AB, vs("x", "x"), 30, 40),
        read(3, AB, vs("x", "x"), 1_000, 1_010));
    // an unknown CAS took effect, then another one on top of it; a third never did
    linearizable(
        write(0, AB, vs("x", "x"), 0, 10),
        casUnknown(1, AB, vs("x", "x"), vs("y", "y"), 20),
        casUnknown(2, AB, vs("y", "y"), vs("z", "z"), 25),
        casUnknown(3, AB, vs("x", "x"), vs("q", "q"), 27),
        read(4, ABC, vs("z", "z", null), 100, 110));
    // an unknown txn of a read says nothing
    linearizable(
        write(0, AB, vs("x", "x"), 0, 10),
        new TxnOp(1, 0, "-", TxnOp.Kind.READ, AB, List.of(), List.of(), List.of(), 20, Op.NEVER, Op.Outcome.UNKNOWN,
            List.of(), List.of(), 0));
  }

  @Test
  void twoSwapsFromTheSameStateCannotBothSucceed() {
    notLinearizable(
        write(0, AB, vs("x", "x"), 0, 10),
        cas(1, AB, vs("x", "x"), vs("y", "y"), true, null, 20, 40),
        cas(2, AB, vs("x", "x"), vs("z", "z"), true, null, 20, 40));
  }

  @Test
  void aFailedSwapMustReportWhatWasThere() {
    linearizable(
        write(0, AB, vs("x", "x"), 0, 10),
        write(1, List.of("a"), vs("y"), 11, 12),
        cas(2, AB, vs("x", "x"), vs("z", "z"), false, vs("y", "x"), 20, 30));
    // it found what it expected, so it should have swapped
    notLinearizable(
        write(0, AB, vs("x", "x"), 0, 10),
        cas(1, AB, vs("x", "x"), vs("z", "z"), false, vs("x", "x"), 20, 30));
    // it reports a state that never was
    notLinearizable(
        write(0, AB, vs("x", "x"), 0, 10),
        write(1, List.of("a"), vs("y"), 11, 12),
        cas(2, AB, vs("x", "x"), vs("z", "z"), false, vs("y", null), 20, 30));
  }

  @Test
  void aSearchOutOfStepsIsUndecidedNeverLinearizable() {
    TxnChecker.Verdict v = new TxnChecker(20).check(randomHistory(new Random(3), 4, 300, 0.1));
    assertEquals(Status.UNDECIDED, v.status());
  }

  /** Random linearizable histories of a few thousand txns, then each with one final read made stale. */
  @Test
  void largeHistoriesAreDecidedAndTheirStaleFinalReadsFlagged() {
    for (int s = 0; s < 5; s++) {
      int seed = s;
      List<TxnOp> h = randomHistory(new Random(seed), 4, 3_000, 0.1);
      long t0 = System.nanoTime();
      TxnChecker.Verdict v = checker.check(h);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(Status.LINEARIZABLE, v.status(), () -> "seed " + seed + ": " + v);
      assertTrue(ms < 20_000, "seed " + seed + " took " + ms + " ms");

      List<TxnOp> stale = TxnStats.withOneFinalGroupReadStale(h);
      assertNotNull(stale, "seed " + seed + ": nothing to make a final read stale with");
      TxnChecker.Verdict b = checker.check(stale);
      assertEquals(Status.NOT_LINEARIZABLE, b.status(), () -> "seed " + seed + " with a stale final read");
    }
  }

  @Test
  void historyLinesRoundTrip() {
    List<TxnOp> ops = List.of(
        write(0, AB, vs("x", "x"), 1, 2),
        writeUnknown(1, ABC, vs("u", "u", "u"), 3),
        read(2, ABC, vs(null, "x", "x"), 4, 5),
        cas(3, AB, vs(null, "x"), vs("z", "z"), false, vs("q", "x"), 6, 7),
        casUnknown(4, AB, vs("x", null), vs("y", "y"), 8),
        new TxnOp(5, -1, "m1", TxnOp.Kind.READ, ABC, List.of(), List.of(), List.of(), 9, 10, Op.Outcome.OK,
            vs("a", null, "c"), List.of(7L, 0L, 9L), 12));
    List<String> lines = new ArrayList<>(ops.stream().map(TxnOp::toLine).toList());
    lines.add(0, "# a comment");
    lines.add("WE\tsomething else");
    assertEquals(ops, TxnOp.parse(lines));
  }

  /**
   * A linearizable history by construction: {@code clients} clients each run txns one at a time on a 3-key group,
   * each taking effect at a random point inside its interval; a share {@code unknownShare} of the writes end unknown
   * (half of those never take effect). It ends with a group read on each of three "members" (client -1).
   */
  static List<TxnOp> randomHistory(Random random, int clients, int count, double unknownShare) {
    record Planned(int client, long invoke, long point, long ret, TxnOp.Kind kind, List<String> keys, boolean unknown,
        boolean happens) {}
    List<Planned> plan = new ArrayList<>();
    long[] clock = new long[clients];
    for (int i = 0; i < count; i++) {
      int c = random.nextInt(clients);
      long invoke = clock[c] + 1 + random.nextInt(20);
      long point = invoke + random.nextInt(50);
      long ret = point + random.nextInt(50);
      clock[c] = ret;
      int dice = random.nextInt(10);
      TxnOp.Kind kind = dice < 4 ? TxnOp.Kind.READ : dice < 7 ? TxnOp.Kind.WRITE : TxnOp.Kind.CAS;
      List<String> keys = new ArrayList<>(ABC);
      if (kind == TxnOp.Kind.CAS || kind == TxnOp.Kind.WRITE && random.nextBoolean()) keys.remove(random.nextInt(3));
      boolean unknown = kind != TxnOp.Kind.READ && random.nextDouble() < unknownShare;
      plan.add(new Planned(c, invoke, point, ret, kind, List.copyOf(keys), unknown, !unknown || random.nextBoolean()));
    }
    plan.sort(Comparator.comparingLong(Planned::point));
    String[] state = new String[3];
    List<TxnOp> out = new ArrayList<>();
    int id = 0;
    for (Planned p : plan) {
      List<String> current = p.keys().stream().map(k -> state[ABC.indexOf(k)]).toList();
      String value = "v" + id;
      List<String> values = p.keys().stream().map(k -> value).toList();
      long ret = p.unknown() ? Op.NEVER : p.ret();
      Op.Outcome outcome = p.unknown() ? Op.Outcome.UNKNOWN : Op.Outcome.OK;
      List<Long> revs = p.keys().stream().map(k -> 0L).toList();
      TxnOp op = switch (p.kind()) {
        case READ -> new TxnOp(id, p.client(), "-", p.kind(), p.keys(), List.of(), List.of(), List.of(), p.invoke(), ret,
            outcome, current, revs, 0);
        case WRITE -> new TxnOp(id, p.client(), "-", p.kind(), p.keys(), values, List.of(), List.of(), p.invoke(), ret,
            outcome, List.of(), List.of(), 0);
        case CAS -> {
          // expect what is there two times in three, else something stale
          List<String> expected = random.nextInt(3) > 0 ? current : current.stream().map(v -> "old").toList();
          boolean swaps = expected.equals(current);
          Op.Outcome o = p.unknown() ? outcome : swaps ? Op.Outcome.OK : Op.Outcome.FAILED;
          yield new TxnOp(id, p.client(), "-", p.kind(), p.keys(), values, expected, revs, p.invoke(), ret, o,
              o == Op.Outcome.FAILED ? current : List.of(), o == Op.Outcome.FAILED ? revs : List.of(), 0);
        }
      };
      boolean writes = p.kind() == TxnOp.Kind.WRITE
          || p.kind() == TxnOp.Kind.CAS && op.expected().equals(current);
      if (writes && p.happens()) {
        for (String k : p.keys()) state[ABC.indexOf(k)] = value;
      }
      out.add(op);
      id++;
    }
    long end = Arrays.stream(clock).max().orElseThrow() + 100;
    for (int m = 0; m < 3; m++) {
      out.add(new TxnOp(id++, -1, "m" + m, TxnOp.Kind.READ, ABC, List.of(), List.of(), List.of(), end + 10 * m,
          end + 10 * m + 5, Op.Outcome.OK, Arrays.asList(state.clone()), List.of(0L, 0L, 0L), 0));
    }
    return out;
  }
}
