package io.vkv.node.fault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Re-checks a history file a failed fault run wrote, by hand:
 * {@code mvn -B -o -ntp -pl node -am test -Dtest=FaultReplayTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfault.replay=/abs/path/to/fault-seed-N-T.history}. Prints the checker's verdict (where the search got stuck),
 * the revision checks' findings, the txn checker's verdict on the txn records ({@code TX} lines) and the watch, lease
 * and lock checkers' (a history file from before those has no such records, and they find nothing).
 */
@EnabledIfSystemProperty(named = "fault.replay", matches = ".+")
class FaultReplayTest {
  @Test
  void replay() throws Exception {
    Path file = Path.of(System.getProperty("fault.replay"));
    List<Op> history = FaultRun.readHistory(file);
    RegisterChecker.Verdict v = new RegisterChecker().check(history);
    List<String> problems = new ArrayList<>(RevisionChecks.check(history, 10));
    problems.addAll(SideHistory.parse(Files.readAllLines(file)).problems(history));
    List<TxnOp> txns = TxnOp.parse(Files.readAllLines(file));
    TxnChecker.Verdict t = new TxnChecker().check(txns);
    System.out.println("[replay] " + history.size() + " ops: " + v);
    System.out.println("[replay] " + txns.size() + " txns: " + t);
    problems.forEach(p -> System.out.println("[replay] " + p));
    Assertions.assertTrue(v.linearizable() && t.linearizable() && problems.isEmpty(),
        () -> v + "\ntxn " + t + "\n" + String.join("\n", problems));
  }
}
