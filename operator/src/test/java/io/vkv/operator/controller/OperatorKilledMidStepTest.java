package io.vkv.operator.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.Wait;
import io.vkv.operator.OperatorCommand;
import io.vkv.operator.backend.local.LocalPlatform;
import io.vkv.operator.backend.local.SingleHost;
import io.vkv.operator.reconcile.PlatformMember;
import io.vkv.operator.spec.ClusterStatus;
import io.vkv.operator.spec.SpecFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator as a process, killed with SIGKILL right after each kind of step (prepare, MemberAdd, start, promote,
 * remove) and started again: every interrupted step is finished by the next operator and none is done twice.
 */
class OperatorKilledMidStepTest {
  private static final Path VKV_JAR = Path.of(System.getProperty("vkv.jar", "../node/target/vkv.jar")).toAbsolutePath();
  private static final List<String> KILL_AFTER = List.of("prepare ", "add learner ", "start ", "promote ", "remove ", "delete ");

  @TempDir Path dir;
  private volatile Process operator;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> done = new ArrayList<>();
  /** The step each killed operator printed last. */
  private final List<String> killedAtSteps = new ArrayList<>();

  @AfterEach
  void stopEverything() throws IOException {
    if (operator != null) operator.destroyForcibly();
    LocalPlatform platform = new SingleHost(dir, VKV_JAR, List.of()).platform(SpecFiles.readSpec(dir.resolve("k.yaml")));
    for (PlatformMember p : platform.list()) platform.delete(p.name());
  }

  @Test
  void aKilledOperatorFinishesEachStepAndNeverRepeatsOne() throws Exception {
    Path spec = dir.resolve("k.yaml");
    writeSpec(spec, 3);
    Set<String> killedAfter = new HashSet<>();
    runUntil(spec, Duration.ofSeconds(120), killedAfter, s -> running(s, 3));
    writeSpec(spec, 2);
    runUntil(spec, Duration.ofSeconds(60), killedAfter, s -> running(s, 2) && platformSize() == 2);

    assertEquals(Set.copyOf(KILL_AFTER), killedAfter, "the operator was killed after each kind of step: " + done);
    List<String> changes = done.stream().filter(l -> !l.startsWith("wait") && !l.equals("idle")).toList();
    assertEquals(changes.size(), new HashSet<>(changes).size(), "a step done twice: " + changes);
    List<String> steps = changes.stream().map(OperatorKilledMidStepTest::stepOf).toList();
    // shrinking removes one follower (the newest one unless it leads), then deletes that same member
    String removed = steps.stream().filter(st -> st.startsWith("remove ") || st.startsWith("delete ")).findFirst()
        .map(st -> st.substring(st.indexOf(' ') + 1)).orElseThrow(() -> new AssertionError("no removal in " + steps));
    List<String> expected = List.of("bootstrap k-1", "prepare k-2", "add learner k-2", "start k-2", "promote k-2",
        "prepare k-3", "add learner k-3", "start k-3", "promote k-3", "remove " + removed, "delete " + removed);
    // An operator killed right after printing one step may already have done the next one without printing it; the
    // next operator then finds it done. So a step may be missing from the log only right after a kill.
    List<String> mayBeUnprinted = killedAtSteps.stream().map(st -> expected.indexOf(st) + 1)
        .filter(i -> i > 0 && i < expected.size()).map(expected::get).toList();
    List<String> printedOrExcused = expected.stream().filter(st -> steps.contains(st) || !mayBeUnprinted.contains(st))
        .toList();
    assertEquals(printedOrExcused, steps, "steps in order, none missing except right after a kill " + killedAtSteps);
  }

  private static String stepOf(String line) {
    return line.replaceAll("(:| [(—]).*", "");
  }

  interface StatusCheck {
    boolean holds(ClusterStatus s) throws Exception;
  }

  /** Runs the operator until {@code done}; kills it (and starts another) the first time it reports each step kind. */
  private void runUntil(Path spec, Duration timeout, Set<String> killedAfter, StatusCheck doneCheck) throws Exception {
    if (operator == null || !operator.isAlive()) startOperator(spec);
    Wait.until(timeout, () -> "the cluster as specified; steps so far " + done, () -> {
      String line = lines.poll(200, TimeUnit.MILLISECONDS);
      if (line != null) {
        String step = line.substring(line.indexOf(' ') + 1);
        if (!step.contains("FAILED")) done.add(step);
        for (String kind : KILL_AFTER) {
          if (step.startsWith(kind) && !step.contains("FAILED") && killedAfter.add(kind)) {
            killedAtSteps.add(stepOf(step));
            operator.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            lines.clear(); // a killed operator prints nothing more
            startOperator(spec);
          }
        }
      }
      return doneCheck.holds(SpecFiles.readStatus(SpecFiles.statusFileFor(spec)));
    });
  }

  private void startOperator(Path spec) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), OperatorCommand.class.getName(),
        // a pause after each change so that the kill lands before the next step, however slow this machine is
        "--vkv-jar", VKV_JAR.toString(), "--period", "200ms", "--pause-after-change", "1500ms",
        "--member-jvm-options", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1", spec.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    operator = p;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          System.out.println("[operator " + p.pid() + "] " + l);
          if (p == operator && l.startsWith("20")) lines.add(l);
        }
      } catch (IOException e) {
        // the process was killed
      }
    }, "operator-output");
    reader.setDaemon(true);
    reader.start();
  }

  private int platformSize() throws IOException {
    return new SingleHost(dir, VKV_JAR, List.of()).platform(SpecFiles.readSpec(dir.resolve("k.yaml"))).list().size();
  }

  private static boolean running(ClusterStatus s, int voters) {
    return s != null && "Running".equals(s.phase()) && s.members().size() == voters
        && s.members().stream().allMatch(m -> m.healthy() && !m.learner());
  }

  private static void writeSpec(Path file, int size) throws IOException {
    Files.writeString(file, "apiVersion: vkv.io/v1alpha1\nkind: VkvCluster\nmetadata:\n  name: k\nspec:\n  size: " + size
        + "\n  storage: {dataRoot: k-data}\n  member: {heartbeatInterval: 50, electionTimeout: 500}\n"
        + "  heal: {unhealthyAfter: 60s}\n");
  }
}
