package io.vkv.client;

import static io.vkv.node.testing.Ports.freePort;

import io.vkv.node.testing.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real etcd ({@code /usr/bin/etcd}) members as child processes on free loopback ports (bound to 0 and released), each
 * in its own temp data directory, its output in {@code member-i.log} there. Start waits, with a deadline, until every
 * running member answers {@code /health} with a leader.
 */
final class EtcdCluster implements TestCluster {
  static final String ETCD = "/usr/bin/etcd";
  private static final Duration START_DEADLINE = Duration.ofSeconds(30);
  /** Every etcd still running, killed when the JVM exits, so that an aborted test run leaves no process behind. */
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "etcd-reaper"));
  }

  private final Path dir;
  private final int[] clientPorts;
  private final int[] peerPorts;
  private String initialCluster;
  private final Process[] processes;
  private final List<String> extraArgs;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  EtcdCluster(int members) {
    this(members, List.of());
  }

  /** Members started with {@code extraArgs} added to each command line, e.g. {@code --auth-token}. */
  EtcdCluster(int members, List<String> extraArgs) {
    this.extraArgs = List.copyOf(extraArgs);
    try {
      dir = Files.createTempDirectory("vkv-client-etcd");
      clientPorts = new int[members];
      peerPorts = new int[members];
      processes = new Process[members];
      for (int attempt = 1; ; attempt++) {
        try {
          startAll(members);
          break;
        } catch (PortTaken e) {
          // etcd cannot bind port 0 and still advertise its URLs: a port picked free may be taken before etcd binds
          // it (by any process on the machine); start again on other ports
          if (attempt == 3) throw new AssertionError("etcd could not bind its ports in 3 attempts", e);
          stopAll();
        }
      }
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  private void startAll(int members) throws IOException {
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      clientPorts[i] = freePort();
      peerPorts[i] = freePort();
      peers.add(name(i) + "=http://127.0.0.1:" + peerPorts[i]);
    }
    initialCluster = String.join(",", peers);
    for (int i = 0; i < members; i++) launch(i);
    for (int i = 0; i < members; i++) awaitHealthy(i);
  }

  /** A member that exited because a port it was given is in use. */
  private static final class PortTaken extends RuntimeException {
    PortTaken(String message) {
      super(message);
    }
  }

  private static String name(int i) {
    return "m" + i;
  }

  private void launch(int i) throws IOException {
    String client = "http://127.0.0.1:" + clientPorts[i];
    String peer = "http://127.0.0.1:" + peerPorts[i];
    List<String> command = new ArrayList<>(List.of(ETCD,
        "--name", name(i),
        "--data-dir", dir.resolve(name(i)).toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", initialCluster, "--initial-cluster-state", "new",
        "--initial-cluster-token", "vkv-client-test"));
    command.addAll(extraArgs);
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("member-" + i + ".log").toFile()));
    processes[i] = pb.start();
    RUNNING.add(processes[i]);
  }

  /** Polls the member's /health until it reports a leader; fails, with the log's path, after the deadline. */
  private void awaitHealthy(int i) {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + clientPorts[i] + "/health"))
        .timeout(Duration.ofSeconds(2)).build();
    // an exception (not listening yet) means "not yet"; an exited member fails at once
    Wait.until(START_DEADLINE, "etcd " + name(i) + " to be healthy; see " + dir.resolve("member-" + i + ".log"), () -> {
      if (!processes[i].isAlive()) {
        String log = logTail(i);
        if (log.contains("address already in use")) throw new PortTaken("etcd " + name(i) + ": " + log);
        throw new AssertionError("etcd " + name(i) + " exited; the end of its log:\n" + log);
      }
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    }, r -> r.statusCode() == 200 && r.body().contains("\"true\""));
  }

  @Override
  public List<String> endpoints() {
    List<String> eps = new ArrayList<>();
    for (int p : clientPorts) eps.add("127.0.0.1:" + p);
    return eps;
  }

  /** SIGKILL, as a crash would. */
  @Override
  public void kill(int i) {
    Process p = processes[i];
    if (p == null) return;
    p.destroyForcibly();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("etcd " + name(i) + " did not die");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    RUNNING.remove(p);
    processes[i] = null;
  }

  /** Restarts on the same ports and data; on a multi-member cluster, healthy means it rejoined a leader. */
  @Override
  public void start(int i) {
    try {
      launch(i);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitHealthy(i);
  }

  /** The last lines of member {@code i}'s log (the directory is gone once the test fails and closes). */
  private String logTail(int i) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("member-" + i + ".log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private void stopAll() {
    for (int i = 0; i < processes.length; i++) kill(i);
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(EtcdCluster::deleteTree); // a fresh data dir for the next attempt
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (processes != null) {
      for (int i = 0; i < processes.length; i++) {
        try {
          kill(i);
        } catch (RuntimeException | Error ignored) {
          // keep stopping the others
        }
      }
    }
    if (dir != null) deleteTree(dir);
  }
}
