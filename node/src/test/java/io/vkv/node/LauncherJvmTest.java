package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/lib/vkv-jvm.sh, the JVM and flags bin/vkv starts a member with (docs/operations.md#the-jvm): the variables
 * that change them, and that the command it builds starts vkv on the JDK running these tests.
 */
class LauncherJvmTest {
  private static final Path LIB = Path.of("..", "bin", "lib", "vkv-jvm.sh").toAbsolutePath().normalize();
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir
  Path dir;

  /** The command vkv_jvm_command builds for {@code jar} with these environment settings, one word per element. */
  private static List<String> command(Path jar, String... env) {
    List<String> cmd = new ArrayList<>(List.of("env", "-u", "VKV_JAVA_OPTS", "-u", "VKV_HEAP", "-u", "VKV_AOT",
        "-u", "VKV_JVM_DEFAULTS", "VKV_JAVA=" + JAVA));
    cmd.addAll(Arrays.asList(env));
    cmd.addAll(List.of("bash", "-c", "source \"$0\" && vkv_jvm_command \"$1\" && printf '%s\\n' \"${vkv_cmd[@]}\"",
        LIB.toString(), jar.toString()));
    Commands.Result r = Commands.run(cmd);
    assertEquals(0, r.exitCode(), r.all());
    return List.of(r.out().strip().split("\n"));
  }

  @Test
  void defaultsAreASmallSelfSizingHeapAndG1OnTheChosenJava() throws Exception {
    List<String> cmd = command(dir.resolve("vkv.jar"));
    assertEquals(JAVA, cmd.get(0));
    assertTrue(cmd.containsAll(List.of("-Xms32m", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxHeapFreeRatio=30")), cmd.toString());
  }

  @Test
  void heapAndCollectorAndExtraFlagsCanBeChanged() throws Exception {
    List<String> cmd = command(dir.resolve("vkv.jar"), "VKV_HEAP=4g", "VKV_JAVA_OPTS=-XX:+UseSerialGC -Dx=1");
    assertTrue(cmd.contains("-Xmx4g") && !cmd.contains("-Xmx1g"), cmd.toString());
    assertTrue(cmd.contains("-XX:+UseSerialGC") && !cmd.contains("-XX:+UseG1GC"), "a named collector replaces G1: " + cmd);
    assertEquals("-Dx=1", cmd.get(cmd.size() - 1), "extra flags come last, so they win");
    assertEquals(List.of(JAVA, "-Dy=2"), command(dir.resolve("vkv.jar"), "VKV_JVM_DEFAULTS=off", "VKV_JAVA_OPTS=-Dy=2"));
  }

  /** The AOT cache is a JDK 25 feature and belongs to one build: used only while it is newer than the jar. */
  @Test
  void anAotCacheIsUsedOnlyOnJdk25AndOnlyWhileNewerThanTheJar() throws Exception {
    Path jar = Files.createFile(dir.resolve("vkv.jar"));
    Path aot = Files.createFile(dir.resolve("vkv.aot"));
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000_000_000L));
    Files.setLastModifiedTime(aot, FileTime.fromMillis(1_000_000_100_000L));
    boolean jdk25 = Runtime.version().feature() >= 25;
    assertEquals(jdk25, command(jar).contains("-XX:AOTCache=" + aot), "cache newer than the jar");
    assertFalse(command(jar, "VKV_AOT=off").stream().anyMatch(f -> f.startsWith("-XX:AOTCache")));
    Files.setLastModifiedTime(aot, FileTime.fromMillis(999_999_000_000L));
    assertFalse(command(jar).stream().anyMatch(f -> f.startsWith("-XX:AOTCache")), "a stale cache is ignored");
  }

  /** The flags are ones this JDK accepts: the built command starts the JVM (running the test JVM's own class path). */
  @Test
  void theCommandStartsAJvm() throws Exception {
    List<String> cmd = new ArrayList<>(command(dir.resolve("vkv.jar")));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.vkv.node.Main", "--version"));
    Commands.Result r = Commands.run(cmd);
    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.out().contains("vkv Version:"), r.all());
  }
}
