package io.vkv.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the scripts in {@code src/test/resources/interaction}: each block is a command line,
 * a {@code ----} line, and the expected output up to a blank line. Regenerate goldens with
 * {@code mvn -o -pl consensus test -Dtest=InteractionTest -Drewrite=true} and review the diff.
 */
class InteractionTest {
  private static final Path DIR = Path.of("src/test/resources/interaction");
  private static final boolean REWRITE = Boolean.getBoolean("rewrite");

  @TestFactory
  Stream<DynamicTest> scripts() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> runFile(f)));
  }

  private static void runFile(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    InteractionEnv env = new InteractionEnv();
    StringBuilder rewritten = new StringBuilder();
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        rewritten.append(line).append('\n');
        i++;
        continue;
      }
      int cmdLine = i + 1;
      i++;
      if (i >= lines.size() || !lines.get(i).equals("----")) {
        throw new IllegalStateException(file + ":" + cmdLine + ": expected ---- after command");
      }
      i++;
      StringBuilder expected = new StringBuilder();
      while (i < lines.size() && !lines.get(i).isEmpty()) {
        expected.append(lines.get(i)).append('\n');
        i++;
      }
      List<String> words = InteractionEnv.split(line);
      String actual = env.run(words.get(0), words.subList(1, words.size()));
      if (actual.isEmpty()) {
        actual = "ok\n";
      }
      rewritten.append(line).append('\n').append("----\n").append(actual);
      if (!REWRITE) {
        assertEquals(expected.toString(), actual, file.getFileName() + ":" + cmdLine + ": " + line);
      }
      if (i < lines.size()) {
        rewritten.append('\n');
        i++;
      }
    }
    if (REWRITE) {
      Files.writeString(file, rewritten.toString(), StandardCharsets.UTF_8);
    }
  }
}
