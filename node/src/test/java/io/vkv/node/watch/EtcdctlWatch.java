package io.vkv.node.watch;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A long-running {@code etcdctl watch} in the background: its output lines are read with deadlines; close kills it. */
final class EtcdctlWatch implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private EtcdctlWatch(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) lines.add(line);
      } catch (IOException e) {
        // the process was killed
      }
    }, "etcdctl-watch-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code etcdctl watch args...} (stdout and stderr merged). */
  static EtcdctlWatch start(String endpoints, String... args) {
    List<String> cmd = new ArrayList<>(List.of(binary(), "--endpoints=" + endpoints, "--dial-timeout=5s", "watch"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("ETCDCTL_API", "3");
    pb.environment().remove("ETCDCTL_ENDPOINTS");
    try {
      return new EtcdctlWatch(pb.start());
    } catch (IOException e) {
      throw new AssertionError("could not start etcdctl", e);
    }
  }

  private static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (new File(dir, "etcdctl").canExecute()) return dir + "/etcdctl";
    }
    throw new AssertionError("etcdctl is not installed (apt-get install etcd-client)");
  }

  /** Writes a line to etcdctl's stdin (interactive mode). */
  void type(String line) {
    try {
      OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new AssertionError("etcdctl's stdin is closed", e);
    }
  }

  /** The next n output lines, or fails at the deadline with what arrived. */
  List<String> lines(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> out = new ArrayList<>();
    try {
      while (out.size() < n) {
        String l = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (l == null) throw new AssertionError("etcdctl printed only " + out + " in " + timeout);
        out.add(l);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return out;
  }

  /** Lines until none arrives for the given time (possibly none). */
  List<String> untilQuiet(Duration quiet) {
    List<String> out = new ArrayList<>();
    try {
      for (String l; (l = lines.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null; ) out.add(l);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return out;
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
