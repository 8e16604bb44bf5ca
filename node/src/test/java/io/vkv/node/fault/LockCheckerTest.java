package io.vkv.node.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lock checker on hand-written histories: passes good ones and flags every way holds can overlap. */
class LockCheckerTest {
  static final LockHolding A = new LockHolding(0, 1, "lock/a", 10, 8);
  static final LockHolding B = new LockHolding(1, 1, "lock/b", 20, 15);
  static final LockHolding C = new LockHolding(2, 1, "lock/c", 30, 25);

  static FencedWrite w(LockHolding h, int n, Op.Outcome outcome, long rev) {
    return new FencedWrite(h.client(), h.round(), h.id() + "-" + n, outcome, rev);
  }

  static KeyVersion v(long rev, String value) {
    return new KeyVersion("fence/lock", rev, 12, value);
  }

  static final List<LockHolding> holdings = List.of(A, B, C);

  /** A writes at 12 and 13, B at 22 and (unknown to it) 23, C at 31; A's late third write was fenced off. */
  static List<FencedWrite> writes() {
    return new ArrayList<>(List.of(w(A, 0, Op.Outcome.OK, 12), w(A, 1, Op.Outcome.OK, 13), w(B, 0, Op.Outcome.OK, 22),
        w(B, 1, Op.Outcome.UNKNOWN, 0), w(C, 0, Op.Outcome.OK, 31), w(A, 2, Op.Outcome.FAILED, 32)));
  }

  static List<KeyVersion> fence() {
    return new ArrayList<>(List.of(v(12, "c0-r1-0"), v(13, "c0-r1-1"), v(22, "c1-r1-0"), v(23, "c1-r1-1"), v(31, "c2-r1-0")));
  }

  static void flagged(List<String> problems, String what) {
    assertTrue(problems.stream().anyMatch(p -> p.contains(what)), () -> "expected \"" + what + "\" in " + problems);
  }

  @Test
  void acceptsHandoversInOrder() {
    assertEquals(List.of(), LockChecker.check(holdings, writes(), fence(), 10));
  }

  @Test
  void flagsInterleavedWritesOfTwoHolders() {
    List<FencedWrite> ws = writes();
    ws.set(5, w(A, 2, Op.Outcome.OK, 24)); // A, fenced off long ago, still wrote after B
    List<KeyVersion> f = fence();
    f.add(v(24, "c0-r1-2"));
    List<String> p = LockChecker.check(holdings, ws, f, 10);
    flagged(p, "writes interleave");
    flagged(p, "fencing token went back");
  }

  @Test
  void flagsAHolderGrantedWhileThePreviousOneStillWrote() {
    LockHolding early = new LockHolding(1, 1, "lock/b", 12, 15); // B granted at 12, A wrote at 13
    flagged(LockChecker.check(List.of(A, early, C), writes(), fence(), 10), "overlapping holds");
  }

  @Test
  void flagsAFencingTokenGoingBack() {
    LockHolding older = new LockHolding(1, 1, "lock/b", 20, 5);
    flagged(LockChecker.check(List.of(A, older, C), writes(), fence(), 10), "fencing token went back");
  }

  @Test
  void flagsAWriteAppliedAlthoughItsGuardFailed() {
    List<KeyVersion> f = fence();
    f.add(v(32, "c0-r1-2"));
    List<String> p = LockChecker.check(holdings, writes(), f, 10);
    flagged(p, "applied although its guard failed");
  }

  @Test
  void flagsALostAcknowledgedWriteAndAWriteNobodyMade() {
    List<KeyVersion> f = fence();
    f.set(2, v(22, "someone-else"));
    List<String> p = LockChecker.check(holdings, writes(), f, 10);
    flagged(p, "acknowledged fenced write missing from the store");
    flagged(p, "a fenced write no lock holder made");
  }

  @Test
  void flagsAWriteBeforeItsLockWasGranted() {
    List<FencedWrite> ws = writes();
    ws.set(4, w(C, 0, Op.Outcome.OK, 30));
    List<KeyVersion> f = fence();
    f.set(4, v(30, "c2-r1-0"));
    flagged(LockChecker.check(holdings, ws, f, 10), "before its lock was granted");
  }

  @Test
  void recordsSurviveTheHistoryFile() {
    assertEquals(A, LockHolding.fromFields(A.toLine().split("\t", -1)));
    FencedWrite w = w(B, 1, Op.Outcome.UNKNOWN, 0);
    assertEquals(w, FencedWrite.fromFields(w.toLine().split("\t", -1)));
  }
}
