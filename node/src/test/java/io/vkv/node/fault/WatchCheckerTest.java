package io.vkv.node.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The watch checker on hand-written histories: it passes good ones and flags each kind of bad one. */
class WatchCheckerTest {
  // the store: k0 written at 10 and 13, k1 at 11, a txn writing kp-a and kp-b at 12
  static final List<KeyVersion> TRUTH = List.of(new KeyVersion("k0", 10, 10, "a"), new KeyVersion("k1", 11, 11, "b"),
      new KeyVersion("kp-a", 12, 12, "p1"), new KeyVersion("kp-b", 12, 12, "p1"), new KeyVersion("k0", 13, 10, "c"));
  static final List<String> WRITTEN = List.of("a", "b", "p1", "c", "d", "unknown-outcome-never-applied");
  static final List<WatcherSpan> SPAN = List.of(new WatcherSpan(0, 10, 13, 2));

  static WatchedEvent ev(int stream, int response, String key, String value, long mod, long create) {
    return new WatchedEvent(0, stream, response, "m" + stream, key, value, mod, create, true, mod + 1);
  }

  /** Two streams: the watcher resumed from 12 on another member after its first stream broke. */
  static List<WatchedEvent> good() {
    return new ArrayList<>(List.of(ev(1, 1, "k0", "a", 10, 10), ev(1, 2, "k1", "b", 11, 11),
        ev(2, 3, "kp-a", "p1", 12, 12), ev(2, 3, "kp-b", "p1", 12, 12), ev(2, 4, "k0", "c", 13, 10)));
  }

  static List<String> check(List<WatchedEvent> events) {
    return WatchChecker.check(events, SPAN, TRUTH, WRITTEN, 10);
  }

  static void flagged(List<WatchedEvent> events, String what) {
    List<String> p = check(events);
    assertTrue(p.stream().anyMatch(s -> s.contains(what)), () -> "expected \"" + what + "\" in " + p);
  }

  @Test
  void acceptsACompleteOrderedHistoryAcrossAResume() {
    assertEquals(List.of(), check(good()));
  }

  @Test
  void acceptsEventsPastTheCheckedRevisionsOfWrittenValues() {
    List<WatchedEvent> e = good();
    e.add(ev(2, 5, "k1", "d", 14, 11)); // a write after the writers were awaited: not in the truth, but written
    assertEquals(List.of(), check(e));
  }

  @Test
  void flagsAnEventMissingAcrossAResume() {
    List<WatchedEvent> e = good();
    e.remove(1); // resumed from 12 although only 10 was seen
    flagged(e, "missing: KeyVersion[key=k1, modRev=11");
  }

  @Test
  void flagsAnEventDuplicatedByAResume() {
    List<WatchedEvent> e = good();
    e.add(2, ev(2, 3, "k1", "b", 11, 11)); // resumed from 11 although 11 was seen
    flagged(e, "duplicated");
  }

  @Test
  void flagsEventsOutOfRevisionOrder() {
    List<WatchedEvent> e = good();
    e.set(0, ev(1, 1, "k1", "b", 11, 11));
    e.set(1, ev(1, 2, "k0", "a", 10, 10));
    flagged(e, "out of order");
  }

  @Test
  void flagsATxnsEventsOutOfTheTxnsOrder() {
    List<WatchedEvent> e = good();
    e.set(2, ev(2, 3, "kp-b", "p1", 12, 12));
    e.set(3, ev(2, 3, "kp-a", "p1", 12, 12));
    flagged(e, "out of order");
  }

  @Test
  void flagsATxnSplitAcrossResponses() {
    List<WatchedEvent> e = good();
    e.set(3, ev(2, 4, "kp-b", "p1", 12, 12));
    e.set(4, ev(2, 5, "k0", "c", 13, 10));
    flagged(e, "split across responses");
  }

  @Test
  void flagsAnEventForAWriteNobodyDid() {
    List<WatchedEvent> e = good();
    e.add(ev(2, 5, "k0", "zzz", 14, 10));
    flagged(e, "a write nobody did");
  }

  @Test
  void flagsAnEventTheStoreDoesNotHave() {
    List<WatchedEvent> e = good();
    e.set(4, ev(2, 4, "k0", "d", 13, 10)); // a value some client wrote, but not what the store has at 13
    flagged(e, "differs from the store");
    List<WatchedEvent> f = good();
    f.add(4, ev(2, 4, "k1", "d", 12, 11)); // no such version at all
    flagged(f, "the store has no such version");
  }

  @Test
  void flagsADeleteNobodyDid() {
    List<WatchedEvent> e = good();
    e.set(4, new WatchedEvent(0, 2, 4, "m2", "k0", "c", 13, 10, false, 14));
    flagged(e, "differs from the store");
  }

  @Test
  void flagsAnEventBeforeTheStartRevision() {
    List<WatchedEvent> e = good();
    List<String> p = WatchChecker.check(e, List.of(new WatcherSpan(0, 11, 13, 2)), TRUTH, WRITTEN, 10);
    assertTrue(p.stream().anyMatch(s -> s.contains("before the start revision")), p::toString);
  }

  @Test
  void flagsAStoreValueNoClientWrote() {
    List<KeyVersion> truth = new ArrayList<>(TRUTH);
    truth.add(new KeyVersion("k1", 14, 11, "invented"));
    List<String> p = WatchChecker.check(good(), List.of(new WatcherSpan(0, 10, 14, 2)), truth, WRITTEN, 10);
    assertTrue(p.stream().anyMatch(s -> s.contains("a value no client wrote")), p::toString);
    assertTrue(p.stream().anyMatch(s -> s.contains("missing")), p::toString);
  }
}
