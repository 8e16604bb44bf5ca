package io.vkv.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A long-running etcdctl (lock, elect, keep-alive): output lines read with deadlines; close stops it (SIGTERM). */
final class BackgroundEtcdctl implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  BackgroundEtcdctl(String endpoints, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Etcdctl.binary(), "--endpoints=" + endpoints, "--dial-timeout=5s"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("ETCDCTL_API", "3");
    pb.environment().remove("ETCDCTL_ENDPOINTS");
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
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
  String nextLine(long timeoutMs) throws InterruptedException {
    return lines.poll(timeoutMs, TimeUnit.MILLISECONDS);
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
