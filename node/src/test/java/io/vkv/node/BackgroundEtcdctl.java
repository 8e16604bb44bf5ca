package io.vkv.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A long-running etcdctl (lock, elect, watch, keep-alive): output lines read with deadlines, input typed to its
 * stdin; close stops it (SIGTERM, then SIGKILL if it lingers).
 */
public final class BackgroundEtcdctl implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  /** Starts {@code etcdctl args...}; stderr is discarded. */
  BackgroundEtcdctl(String endpoints, String... args) {
    this(false, endpoints, args);
  }

  /** Starts {@code etcdctl args...} with stderr merged into the output lines. */
  public static BackgroundEtcdctl withStderr(String endpoints, String... args) {
    return new BackgroundEtcdctl(true, endpoints, args);
  }

  private BackgroundEtcdctl(boolean mergeStderr, String endpoints, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Etcdctl.binary(), "--endpoints=" + endpoints, "--dial-timeout=5s"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("ETCDCTL_API", "3");
    pb.environment().remove("ETCDCTL_ENDPOINTS");
    if (mergeStderr) {
      pb.redirectErrorStream(true);
    } else {
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    }
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new AssertionError("could not start etcdctl", e);
    }
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) lines.add(line);
      } catch (IOException e) {
        // stopped
      }
    }, "etcdctl-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** The next output line, or null if none within the timeout. */
  public String nextLine(long timeoutMs) throws InterruptedException {
    return lines.poll(timeoutMs, TimeUnit.MILLISECONDS);
  }

  /** Writes a line to etcdctl's stdin (interactive mode). */
  public void type(String line) {
    try {
      OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new AssertionError("etcdctl's stdin is closed", e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Exit code, or -1 if it did not exit in time. */
  int waitFor(long timeoutMs) throws InterruptedException {
    return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: etcdctl closes its session, which revokes its lease
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
  }
}
