package io.vkv.node.clients;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a client script from {@code src/test/resources/clients} (copied to a temp file with the same extension) with
 * an interpreter, extra environment and a deadline: a script that outlives it is killed and the test fails.
 */
final class ClientProcess {
  static final long LIMIT_SECONDS = 60;

  record Result(String script, int exitCode, String out, String err) {
    Result assertOk() {
      if (exitCode != 0) throw new AssertionError(script + " failed (exit " + exitCode + "):\n" + err + "\nstdout:\n" + out);
      return this;
    }

    List<String> lines() {
      return out.lines().toList();
    }
  }

  static Result run(List<String> interpreter, Map<String, String> env, String script, String... args) {
    try {
      String extension = script.substring(script.lastIndexOf('.'));
      Path copy = Files.createTempFile("vkv-client", extension);
      try (InputStream in = ClientProcess.class.getResourceAsStream("/clients/" + script)) {
        if (in == null) throw new AssertionError("no test resource clients/" + script);
        Files.write(copy, in.readAllBytes());
      }
      Path out = Files.createTempFile("vkv-client", ".out");
      Path err = Files.createTempFile("vkv-client", ".err");
      try {
        List<String> cmd = new ArrayList<>(interpreter);
        cmd.add(copy.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          throw new AssertionError(script + " did not finish within " + LIMIT_SECONDS + " s:\n" + Files.readString(err)
              + "\nstdout:\n" + Files.readString(out));
        }
        return new Result(script, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        Files.deleteIfExists(copy);
      }
    } catch (IOException e) {
      throw new AssertionError("could not run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private ClientProcess() {}
}
