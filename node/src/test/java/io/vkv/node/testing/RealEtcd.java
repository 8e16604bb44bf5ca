package io.vkv.node.testing;

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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The reference for tests: a one-member etcd 3.4 (Debian's etcd-server, {@code /usr/bin/etcd}; bin/test installs it)
 * as a child process on free loopback ports, its data and log under a directory. Start waits, with a deadline, until
 * {@code /health} reports a leader; closing kills it. Shared with other modules' tests through node's test-jar.
 */
public final class RealEtcd implements AutoCloseable {
  private static final Path ETCD = Path.of("/usr/bin/etcd");
  private static final Duration READY_LIMIT = Duration.ofSeconds(30);
  private static final String HEALTH = "/health?exclude=NOSPACE&exclude=CORRUPT";

  private final Process process;
  private final Path log;
  private final String endpoint;
  /** The directory to delete on close, when this fixture made it. */
  private final Path ownDir;

  /** For https client URLs: curl's TLS flags to reach /health; null for http. */
  private final List<String> curlTls;

  private RealEtcd(Process process, Path log, String endpoint, Path ownDir) {
    this(process, log, endpoint, ownDir, null);
  }

  private RealEtcd(Process process, Path log, String endpoint, Path ownDir, List<String> curlTls) {
    this.curlTls = curlTls;
    this.process = process;
    this.log = log;
    this.endpoint = endpoint;
    this.ownDir = ownDir;
  }

  /** etcd keeping its data and log under {@code dir}, which the caller owns. */
  public static RealEtcd start(Path dir, String... extraFlags) {
    return start(dir, null, extraFlags);
  }

  /** etcd in a temp directory of its own, deleted on close. */
  public static RealEtcd start(String... extraFlags) {
    try {
      Path dir = Files.createTempDirectory("vkv-etcd");
      return start(dir, dir, extraFlags);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * etcd serving clients on an https URL with this certificate, requiring client certificates signed by {@code ca}
   * (--client-cert-auth); {@link #endpoint()} is then the https URL.
   */
  public static RealEtcd startWithClientMtls(Path dir, Path cert, Path key, Path ca, String... extraFlags) {
    List<String> flags = new ArrayList<>(List.of("--cert-file", cert.toString(), "--key-file", key.toString(),
        "--trusted-ca-file", ca.toString(), "--client-cert-auth"));
    flags.addAll(List.of(extraFlags));
    return start(dir, null, "https", List.of("--cacert", ca.toString(), "--cert", cert.toString(), "--key", key.toString()),
        flags.toArray(new String[0]));
  }

  private static RealEtcd start(Path dir, Path ownDir, String... extraFlags) {
    return start(dir, ownDir, "http", null, extraFlags);
  }

  private static RealEtcd start(Path dir, Path ownDir, String scheme, List<String> curlTls, String... extraFlags) {
    if (!Files.isExecutable(ETCD)) throw new AssertionError(ETCD + " is missing: install Debian's etcd-server (bin/test does)");
    String client = scheme + "://127.0.0.1:" + Ports.freePort();
    String peer = "http://127.0.0.1:" + Ports.freePort();
    Path log = dir.resolve("etcd.log");
    List<String> cmd = new ArrayList<>(List.of(ETCD.toString(), "--name", "ref", "--data-dir", dir.resolve("etcd-data").toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", "ref=" + peer));
    cmd.addAll(List.of(extraFlags));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      RealEtcd etcd = new RealEtcd(p, log, curlTls == null ? client.substring("http://".length()) : client, ownDir, curlTls);
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

  /** host:port of the client URL, as etcdctl's --endpoints and vkv-bench want it. */
  public String endpoint() {
    return endpoint;
  }

  /**
   * Polls /health until etcd has a leader and has committed an entry, or fails at the deadline. Alarms are excluded
   * (etcd 3.4's {@code ?exclude=}): an etcd restored with an active alarm is up, though /health says false.
   */
  private void awaitHealthy() {
    if (curlTls != null) {
      List<String> curl = new ArrayList<>(List.of("curl", "-sS", "--max-time", "2"));
      curl.addAll(curlTls);
      curl.add(endpoint + HEALTH);
      Wait.until(READY_LIMIT, "etcd to be healthy over TLS; log " + log, () -> {
        if (!process.isAlive()) throw new AssertionError("etcd exited: " + logText());
        return Commands.run(curl).out().contains("\"health\":\"true\"");
      });
      return;
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://" + endpoint + HEALTH))
        .timeout(Duration.ofSeconds(2)).build();
    // an exception (not listening yet) means "not yet"; an exited etcd fails at once
    Wait.until(READY_LIMIT, "etcd to be healthy; log " + log, () -> {
      if (!process.isAlive()) throw new AssertionError("etcd exited: " + logText());
      return http.send(health, HttpResponse.BodyHandlers.ofString());
    }, r -> r.statusCode() == 200 && r.body().contains("\"true\""));
  }

  private String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(" + log + " unreadable: " + e + ")";
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
    if (ownDir != null) {
      try (Stream<Path> files = Files.walk(ownDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
