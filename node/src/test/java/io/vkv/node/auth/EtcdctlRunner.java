package io.vkv.node.auth;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real etcdctl (v3) against one server, optionally as a user ({@code --user name:password}), with a
 * deadline. Output goes through files in a scratch dir, so nothing has to drain pipes while it runs.
 */
final class EtcdctlRunner {
  static final Duration DEFAULT_LIMIT = Duration.ofSeconds(30);

  /**
   * What one run printed. errorLines is stderr without etcdctl's JSON log lines (the retry interceptor's warnings
   * carry timestamps and client ids; the "Error: ..." lines are the stable text).
   */
  record Result(int exitCode, String out, List<String> errorLines) {}

  private final String endpoints;
  private final Path scratch;
  private final String user;

  EtcdctlRunner(String endpoints, Path scratch) {
    this(endpoints, scratch, null);
  }

  private EtcdctlRunner(String endpoints, Path scratch, String user) {
    this.endpoints = endpoints;
    this.scratch = scratch;
    this.user = user;
  }

  /** The same runner authenticating as {@code name:password}. */
  EtcdctlRunner as(String nameAndPassword) {
    return new EtcdctlRunner(endpoints, scratch, nameAndPassword);
  }

  Result run(String... args) {
    return run(DEFAULT_LIMIT, null, args);
  }

  Result runWithInput(String stdin, String... args) {
    return run(DEFAULT_LIMIT, stdin, args);
  }

  /** Runs etcdctl, feeding it stdin if not null; fails if it has not exited within limit. */
  Result run(Duration limit, String stdin, String... args) {
    List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoints, "--dial-timeout=5s",
        "--command-timeout=10s"));
    if (user != null) cmd.add("--user=" + user);
    cmd.addAll(List.of(args));
    try {
      Path out = Files.createTempFile(scratch, "etcdctl", ".out");
      Path err = Files.createTempFile(scratch, "etcdctl", ".err");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().put("ETCDCTL_API", "3");
      pb.environment().keySet().removeIf(k -> k.startsWith("ETCDCTL_") && !k.equals("ETCDCTL_API"));
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new AssertionError("etcdctl " + String.join(" ", args) + " did not exit within " + limit
            + "; stdout so far: " + Files.readString(out) + "; stderr: " + Files.readString(err));
      }
      return new Result(p.exitValue(), Files.readString(out), errorLines(Files.readString(err)));
    } catch (IOException e) {
      throw new AssertionError("could not run etcdctl (the etcd-client package installs it)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while etcdctl ran", e);
    }
  }

  private static List<String> errorLines(String stderr) {
    return stderr.lines().filter(l -> !l.startsWith("{\"level\":")).toList();
  }
}
