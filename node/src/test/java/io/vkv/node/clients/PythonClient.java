package io.vkv.node.clients;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python client script from {@code src/test/resources/clients} with Debian's interpreter (the one that sees
 * python3-etcd3 and python3-grpcio; bin/test installs them), with a deadline.
 */
final class PythonClient {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final long LIMIT_SECONDS = 60;

  record Result(int exitCode, String out, String err) {
    Result assertOk() {
      if (exitCode != 0) throw new AssertionError("python client failed (" + exitCode + "):\n" + err + out);
      return this;
    }

    List<String> lines() {
      return out.lines().toList();
    }
  }

  static Result run(String script, String... args) {
    try {
      Path copy = Files.createTempFile("vkv-client", ".py");
      try (InputStream in = PythonClient.class.getResourceAsStream("/clients/" + script)) {
        if (in == null) throw new AssertionError("no test resource clients/" + script);
        Files.write(copy, in.readAllBytes());
      }
      try {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), copy.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("vkv-client", ".out");
        Path err = Files.createTempFile("vkv-client", ".err");
        try {
          Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
          if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(script + " did not finish within " + LIMIT_SECONDS + " s: " + Files.readString(err));
          }
          return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
          Files.deleteIfExists(out);
          Files.deleteIfExists(err);
        }
      } finally {
        Files.deleteIfExists(copy);
      }
    } catch (IOException e) {
      throw new AssertionError("could not run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private PythonClient() {}
}
