package io.vkv.node.auth;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference: a one-member etcd 3.4 ({@code /usr/bin/etcd}) as a child process on free loopback ports, its data
 * and log under the given dir. Closing kills it.
 */
final class RealEtcd implements ServerUnderTest {
  private static final Path ETCD = Path.of("/usr/bin/etcd");
  private static final Duration READY_LIMIT = Duration.ofSeconds(30);

  private final Process process;
  private final Path log;
  private final String endpoint;

  private RealEtcd(Process process, Path log, String endpoint) {
    this.process = process;
    this.log = log;
    this.endpoint = endpoint;
  }

  static RealEtcd start(Path dir) {
    if (!Files.isExecutable(ETCD)) throw new AssertionError(ETCD + " is missing: install Debian's etcd-server");
    String client = "http://127.0.0.1:" + freePort();
    String peer = "http://127.0.0.1:" + freePort();
    Path log = dir.resolve("etcd.log");
    List<String> cmd = List.of(ETCD.toString(), "--name", "ref", "--data-dir", dir.resolve("etcd-data").toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", "ref=" + peer);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      RealEtcd etcd = new RealEtcd(p, log, client.substring("http://".length()));
      try {
        etcd.awaitHealthy();
      } catch (RuntimeException | Error e) {
        etcd.close();
        throw e;
      }
      return etcd;
    } catch (IOException e) {
      throw new AssertionError("could not start etcd", e);
    }
  }

  @Override
  public String endpoints() {
    return endpoint;
  }

  /** Polls /health until etcd has a leader and has committed an entry, or fails at the deadline. */
  private void awaitHealthy() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://" + endpoint + "/health"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + READY_LIMIT.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) throw new AssertionError("etcd exited: " + Files.readString(log));
        try {
          HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200 && r.body().contains("\"true\"")) return;
        } catch (IOException notListeningYet) {
          // poll again
        }
        process.waitFor(100, TimeUnit.MILLISECONDS); // a pause between polls that ends early if etcd dies
      }
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("waiting for etcd failed", e);
    }
    throw new AssertionError("etcd not healthy within " + READY_LIMIT);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError("no free port", e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
