package io.vkv.node.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command line tool (curl, openssl s_client) with a deadline; stdout and stderr go through temp files. */
public final class Commands {
  public record Result(int exitCode, String out, String err) {
    public String all() {
      return out + err;
    }
  }

  private Commands() {
  }

  /** Runs {@code cmd} with stdin from /dev/null; fails the test if it has not exited within 30 s. */
  public static Result run(List<String> cmd) {
    try {
      Path out = Files.createTempFile("vkv-cmd", ".out");
      Path err = Files.createTempFile("vkv-cmd", ".err");
      try {
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(String.join(" ", cmd) + " did not finish in 30 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
