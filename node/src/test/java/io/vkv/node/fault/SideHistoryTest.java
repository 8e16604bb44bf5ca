package io.vkv.node.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A failed run's watch, lease and lock records survive its history file, so a replay judges them the same. */
class SideHistoryTest {
  @Test
  void aBrokenSideHistoryIsJudgedTheSameAfterTheFile() {
    List<WatchedEvent> events = WatchCheckerTest.good();
    events.remove(1); // a watch event missing
    LeaseRecord expired = LeaseCheckerTest.lease("lease/a", Op.Outcome.OK, LeaseRecord.Fate.EXPIRE, null, 0, List.of());
    SideHistory h = new SideHistory(events, WatchCheckerTest.SPAN, WatchCheckerTest.TRUTH, Set.of("a", "b", "p1", "c"),
        List.of(expired), List.of(LeaseCheckerTest.on("m1", 10, "lease/a")), LockCheckerTest.holdings,
        LockCheckerTest.writes(), LockCheckerTest.fence());
    List<String> lines = new ArrayList<>(List.of("# a comment", Op.put(7, "k0", "c", 1, 2).toLine()));
    lines.addAll(h.lines());
    SideHistory back = SideHistory.parse(lines);
    assertEquals(h, back);
    List<String> problems = back.problems(List.of());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("watch: ") && p.contains("missing")), problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("lease: ")), problems::toString);
    assertFalse(problems.stream().anyMatch(p -> p.startsWith("lock: ")), problems::toString);
    assertTrue(SideHistory.isSideLine(h.lines().get(0)));
    assertFalse(SideHistory.isSideLine(lines.get(1)));
  }
}
