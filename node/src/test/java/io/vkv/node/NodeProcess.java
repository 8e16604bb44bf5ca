package io.vkv.node;

import static io.vkv.node.testing.Ports.freePort;

import io.vkv.node.testing.Wait;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A vkv node in a separate JVM (the test class path), so that tests can kill -9 it. */
final class NodeProcess implements AutoCloseable {
  private final Process process;
  final int clientPort;
  final Path log;

  private NodeProcess(Process process, int clientPort, Path log) {
    this.process = process;
    this.clientPort = clientPort;
    this.log = log;
  }

  static NodeProcess start(Path dataDir, Path log, String... extraFlags) {
    return start(dataDir, log, freePort(), freePort(), extraFlags);
  }

  /** A member listening on the given loopback ports (a cluster member restarts on the ports it had). */
  static NodeProcess start(Path dataDir, Path log, int client, int peer, String... extraFlags) {
    return start(List.of(), List.of(), dataDir, log, client, peer, extraFlags);
  }

  /** As {@link #start(Path, Path, int, int, String...)}, with these JVM options too (e.g. GC logging into its log). */
  static NodeProcess startWithJvmOptions(List<String> jvmOptions, Path dataDir, Path log, int client, int peer,
                                         String... extraFlags) {
    return start(List.of(), jvmOptions, dataDir, log, client, peer, extraFlags);
  }

  /**
   * A member whose files may not grow past {@code bytes} (RLIMIT_FSIZE, set with util-linux's prlimit): a write
   * beyond it fails with EFBIG the way one on a full disk fails with ENOSPC, without needing a filesystem to fill.
   */
  static NodeProcess startWithFileSizeLimit(long bytes, Path dataDir, Path log, int client, int peer,
                                            String... extraFlags) {
    return start(List.of("prlimit", "--fsize=" + bytes, "--"), List.of(), dataDir, log, client, peer, extraFlags);
  }

  private static NodeProcess start(List<String> launcher, List<String> jvmOptions, Path dataDir, Path log, int client,
                                   int peer, String... extraFlags) {
    List<String> cmd = new ArrayList<>(launcher);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String flags = System.getProperty("vkv.jvm.flags", "");
    for (String f : flags.trim().split("\\s+")) if (!f.isBlank()) cmd.add(f);
    cmd.add("-Xmx512m");
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.add("--data-dir=" + dataDir);
    cmd.add("--listen-client-urls=http://127.0.0.1:" + client);
    cmd.add("--listen-peer-urls=http://127.0.0.1:" + peer);
    cmd.addAll(Arrays.asList(extraFlags));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      NodeProcess node = new NodeProcess(p, client, log);
      node.awaitListening(30_000);
      return node;
    } catch (IOException e) {
      throw new AssertionError("could not start a node process", e);
    }
  }

  String endpoint() {
    return "127.0.0.1:" + clientPort;
  }

  private void awaitListening(long timeoutMs) {
    try {
      // a refused connection is "not yet"; an exited process fails at once
      Wait.untilReturns(Duration.ofMillis(timeoutMs), "the node to listen on " + clientPort + "; see " + log, () -> {
        if (!process.isAlive()) {
          throw new AssertionError("node process exited with " + process.exitValue() + "; see " + log);
        }
        new Socket("127.0.0.1", clientPort).close();
        return true;
      });
    } catch (AssertionError e) {
      kill();
      throw e;
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook runs. */
  void kill() {
    process.destroyForcibly();
    waitExit();
  }

  /** SIGTERM: the node shuts down cleanly. Returns the exit code. */
  int terminate() {
    process.destroy();
    return waitExit();
  }

  private int waitExit() {
    try {
      if (!process.waitFor(40, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("node process did not exit in time; see " + log);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) kill();
  }
}
