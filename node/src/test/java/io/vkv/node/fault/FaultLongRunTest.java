package io.vkv.node.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long mode, by hand only (skipped unless {@code -Dfault.runs=N} is given):
 * <pre>
 * mvn -B -o -ntp -pl node -am test -Dtest=FaultLongRunTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dfault.runs=10 [-Dfault.minutes=30] [-Dfault.seed=1000] [-Dfault.extra=7] [-Dfault.promoteEarly=false]
 * </pre>
 * By default a re-added learner is promoted as soon as the leader accepts it, which can hit the open bug in
 * docs/RELIABILITY.md; {@code -Dfault.promoteEarly=false} promotes once it caught up, as the CI run does.
 * Run i uses seed {@code fault.seed + i} and every fault kind once plus {@code fault.extra} more drawn by the seed;
 * it stops after {@code fault.runs} runs or once {@code fault.minutes} have passed. Each run prints one line (seed,
 * faults, ops, the register verdict and the txn, watch, lease and lock verdicts) and appends it to {@code target/fault-runs.txt}; a failed run's history goes to
 * {@code target/fault-histories/} for {@link FaultReplayTest}. Fails at the end if any run failed.
 */
@EnabledIfSystemProperty(named = "fault.runs", matches = "\\d+")
class FaultLongRunTest {
  @TempDir Path dir;

  @Test
  void runs() throws Exception {
    int runs = Integer.getInteger("fault.runs");
    long minutes = Long.getLong("fault.minutes", 0);
    long seed0 = Long.getLong("fault.seed", System.currentTimeMillis() % 100_000);
    int extra = Integer.getInteger("fault.extra", 7);
    boolean promoteEarly = Boolean.parseBoolean(System.getProperty("fault.promoteEarly", "true"));
    long deadline = minutes > 0 ? System.nanoTime() + minutes * 60_000_000_000L : Long.MAX_VALUE;
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < runs && System.nanoTime() - deadline < 0; i++) {
      long seed = seed0 + i;
      String line;
      try {
        FaultRun.Result r = new FaultRun(seed, FaultRun.scheduleFor(seed, extra), dir.resolve("run" + i),
            Path.of("target", "fault-histories")).promoteEarly(promoteEarly).run();
        line = (r.passed() ? "PASS " : "FAIL ") + r.summary();
        if (!r.passed()) {
          failed.add(line);
          System.out.println(r.verdict());
          System.out.println("txn " + r.txn().verdict());
          r.problems().forEach(System.out::println);
        }
      } catch (Exception | AssertionError e) {
        line = "ERROR seed=" + seed + " " + e;
        failed.add(line);
        e.printStackTrace(System.out);
      }
      System.out.println("[fault] run " + (i + 1) + ": " + line);
      append(line);
    }
    Assertions.assertTrue(failed.isEmpty(), () -> String.join("\n", failed));
  }

  private static void append(String line) throws IOException {
    Path f = Path.of("target", "fault-runs.txt");
    Files.createDirectories(f.getParent());
    Files.writeString(f, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
