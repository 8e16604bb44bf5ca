package io.vkv.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-member etcd (Debian's etcd-server, {@code /usr/bin/etcd}; bin/test installs it) on free loopback
 * ports with its data in a temp dir, for tests of workloads vkv does not serve yet. Closing kills it and deletes
 * the data.
 */
final class RealEtcd implements AutoCloseable {
  private static final Path ETCD = Path.of("/usr/bin/etcd");
  private static final Duration READY_LIMIT = Duration.ofSeconds(30);

  private final Process process;
  private final Path dir;
  private final int clientPort;

  private RealEtcd(Process process, Path dir, int clientPort) {
    this.process = process;
    this.dir = dir;
    this.clientPort = clientPort;
  }

  String endpoint() {
    return "127.0.0.1:" + clientPort;
  }

  static RealEtcd start() throws Exception {
    if (!Files.isExecutable(ETCD)) {
      throw new IllegalStateException(ETCD + " is missing: install Debian's etcd-server (bin/test does)");
    }
    Path dir = Files.createTempDirectory("vkv-bench-etcd");
    int client = freePort();
    int peer = freePort();
    String c = "http://127.0.0.1:" + client;
    String p = "http://127.0.0.1:" + peer;
    Process process = new ProcessBuilder(List.of(ETCD.toString(), "--name", "bench", "--data-dir",
        dir.resolve("data").toString(), "--listen-client-urls", c, "--advertise-client-urls", c,
        "--listen-peer-urls", p, "--initial-advertise-peer-urls", p, "--initial-cluster", "bench=" + p))
        .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
    RealEtcd etcd = new RealEtcd(process, dir, client);
    try {
      etcd.awaitHealthy();
    } catch (Exception e) {
      etcd.close();
      throw e;
    }
    return etcd;
  }

  /** Polls etcd's /health on the client port until it reports healthy (a leader and a committed entry). */
  private void awaitHealthy() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://" + endpoint() + "/health"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + READY_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("etcd exited: " + Files.readString(dir.resolve("etcd.log")));
      }
      try {
        HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("\"true\"")) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      process.waitFor(100, TimeUnit.MILLISECONDS); // pause between polls, or return early if it died
    }
    throw new IllegalStateException("etcd not healthy within " + READY_LIMIT);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
