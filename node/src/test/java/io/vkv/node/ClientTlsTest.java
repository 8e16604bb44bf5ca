package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.Commands;
import io.vkv.node.testing.TestPki;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member serving clients over TLS with client certificate authentication (--client-cert-auth): etcdctl with
 * --cacert/--cert/--key works, gRPC and /health, /metrics and the JSON gateway all answer on the TLS port, and a
 * client without a certificate, with one from another CA, or speaking plain text is refused.
 */
class ClientTlsTest {
  @TempDir
  static Path dir;
  static TestPki.Ca ca;
  static TestPki.Issued server;
  static TestPki.Issued client;
  static TestPki.Issued stranger;
  static VkvNode node;
  static String url;

  @BeforeAll
  static void start() {
    ca = TestPki.ca(dir.resolve("pki"), "vkv-ca");
    server = ca.issue("server", "infra0");
    client = ca.issue("client", "client");
    stranger = TestPki.ca(dir.resolve("other-pki"), "other-ca").issue("stranger", "client");
    node = TestNodes.start(NodeCommandTest.parse("--name=tls", "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls=https://127.0.0.1:0", "--listen-peer-urls=http://127.0.0.1:0",
        "--cert-file", server.cert().toString(), "--key-file", server.key().toString(),
        "--trusted-ca-file", ca.cert().toString(), "--client-cert-auth"));
    url = node.clientUrls().get(0).toString();
    assertTrue(url.startsWith("https://127.0.0.1:"), url);
  }

  @AfterAll
  static void stop() {
    TestNodes.stop(node);
  }

  static Etcdctl.Result etcdctl(TestPki.Issued cert, String... args) {
    List<String> all = new ArrayList<>(List.of("--cacert=" + ca.cert()));
    if (cert != null) all.addAll(List.of("--cert=" + cert.cert(), "--key=" + cert.key()));
    all.addAll(List.of(args));
    return new Etcdctl(url).run(all.toArray(new String[0]));
  }

  static Commands.Result curl(TestPki.Issued cert, String... args) {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "--cacert", ca.cert().toString()));
    if (cert != null) cmd.addAll(List.of("--cert", cert.cert().toString(), "--key", cert.key().toString()));
    cmd.addAll(List.of(args));
    return Commands.run(cmd);
  }

  @Test
  void etcdctlWithAClientCertificateReadsAndWrites() {
    assertEquals("OK\n", etcdctl(client, "put", "tls-key", "over-tls").assertOk().out());
    assertEquals("tls-key\nover-tls\n", etcdctl(client, "get", "tls-key").assertOk().out());
    Etcdctl.Result health = etcdctl(client, "endpoint", "health");
    assertEquals(0, health.exitCode(), health.err());
    assertTrue(health.err().contains(url + " is healthy"), health.err());
  }

  @Test
  void aClientWithoutACertificateIsRefused() {
    Etcdctl.Result r = new Etcdctl(url).run("--cacert=" + ca.cert(), "--dial-timeout=1s", "--command-timeout=1s", "get", "tls-key");
    assertNotEquals(0, r.exitCode(), r.out());
    assertTrue(r.err().contains("Error:"), r.err());
    assertTrue(r.out().isEmpty(), r.out());
    Commands.Result health = curl(null, url + "/health");
    assertNotEquals(0, health.exitCode(), health.all());
    assertTrue(!health.out().contains("health"), health.out());
  }

  @Test
  void aCertificateFromAnotherCaIsRefused() {
    Etcdctl.Result r = etcdctl(stranger, "--dial-timeout=1s", "--command-timeout=1s", "get", "tls-key");
    assertNotEquals(0, r.exitCode(), r.out());
    assertTrue(r.err().contains("Error:"), r.err());
    assertTrue(r.out().isEmpty(), r.out());
    Commands.Result health = curl(stranger, url + "/health");
    assertNotEquals(0, health.exitCode(), health.all());
  }

  @Test
  void plainTextOnTheTlsPortIsRefused() {
    String plain = url.replace("https://", "http://");
    Etcdctl.Result r = new Etcdctl(plain).run("--dial-timeout=1s", "--command-timeout=1s", "get", "tls-key");
    assertNotEquals(0, r.exitCode(), r.out());
    assertTrue(r.err().contains("Error:"), r.err());
    Commands.Result health = Commands.run(List.of("curl", "-sS", "--max-time", "10", plain + "/health"));
    assertNotEquals(0, health.exitCode(), health.all());
    assertTrue(!health.out().contains("health"), health.out());
  }

  @Test
  void healthMetricsAndTheJsonGatewayAnswerOverTls() {
    Commands.Result health = curl(client, url + "/health");
    assertEquals(0, health.exitCode(), health.all());
    assertTrue(health.out().contains("\"health\":\"true\""), health.out());
    Commands.Result metrics = curl(client, url + "/metrics");
    assertTrue(metrics.out().contains("etcd_server_has_leader 1"), metrics.out());
    // HTTP/2 over TLS (ALPN h2), as gRPC clients use it, for the plain endpoints too
    Commands.Result h2 = curl(client, "--http2", "-o", "/dev/null", "-w", "%{http_version}", url + "/health");
    assertEquals("2", h2.out(), h2.all());
    etcdctl(client, "put", "gw-key", "gw-value").assertOk();
    // key "gw-key" in base64
    Commands.Result range = curl(client, "-X", "POST", "-d", "{\"key\":\"Z3cta2V5\"}", url + "/v3/kv/range");
    assertEquals(0, range.exitCode(), range.all());
    assertTrue(range.out().contains("\"value\":\"Z3ctdmFsdWU=\""), range.out());
  }
}
