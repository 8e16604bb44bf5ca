package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.Commands;
import io.vkv.node.testing.TestPki;
import io.vkv.node.testing.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --client-crl-file: a client certificate the CRL revokes is refused at the handshake (etcdctl and HTTP), one the
 * same CA signed and the CRL does not list works, and a new CRL on disk (here in DER) applies to new connections
 * without a restart.
 */
class ClientCrlTest {
  @TempDir
  static Path dir;
  static TestPki.Ca ca;
  static TestPki.Issued good;
  static TestPki.Issued revoked;
  static Path crlFile;
  static VkvNode node;
  static String url;

  @BeforeAll
  static void start() throws Exception {
    ca = TestPki.ca(dir.resolve("pki"), "vkv-ca");
    TestPki.Issued server = ca.issue("server", "infra0");
    good = ca.issue("good", "good");
    revoked = ca.issue("revoked", "revoked");
    crlFile = dir.resolve("clients.crl");
    Files.copy(ca.crl("first", revoked), crlFile);
    node = TestNodes.start(NodeCommandTest.parse("--name=crl", "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls=https://127.0.0.1:0", "--listen-peer-urls=http://127.0.0.1:0",
        "--cert-file", server.cert().toString(), "--key-file", server.key().toString(),
        "--trusted-ca-file", ca.cert().toString(), "--client-cert-auth", "--client-crl-file", crlFile.toString()));
    url = node.clientUrls().get(0).toString();
  }

  @AfterAll
  static void stop() {
    TestNodes.stop(node);
  }

  static Etcdctl.Result etcdctl(TestPki.Issued cert, String... args) {
    List<String> all = new ArrayList<>(List.of("--cacert=" + ca.cert(), "--cert=" + cert.cert(), "--key=" + cert.key(),
        "--dial-timeout=2s", "--command-timeout=2s"));
    all.addAll(List.of(args));
    return new Etcdctl(url).run(all.toArray(new String[0]));
  }

  static Commands.Result curlHealth(TestPki.Issued cert) {
    return Commands.run(List.of("curl", "-sS", "--max-time", "10", "--cacert", ca.cert().toString(), "--cert",
        cert.cert().toString(), "--key", cert.key().toString(), url + "/health"));
  }

  @Test
  void aRevokedCertificateIsRefusedAndAnotherFromTheSameCaWorks() {
    assertEquals("OK\n", etcdctl(good, "put", "crl-key", "v").assertOk().out());
    assertEquals("crl-key\nv\n", etcdctl(good, "get", "crl-key").assertOk().out());

    Etcdctl.Result r = etcdctl(revoked, "get", "crl-key");
    assertNotEquals(0, r.exitCode(), r.out());
    assertTrue(r.err().contains("Error:"), r.err());
    assertTrue(r.out().isEmpty(), r.out());
    Commands.Result health = curlHealth(revoked);
    assertNotEquals(0, health.exitCode(), health.all());
    assertTrue(!health.out().contains("health"), health.out());
    assertEquals(0, curlHealth(good).exitCode());
  }

  @Test
  void aNewCrlOnDiskAppliesToNewConnectionsWithoutARestart() throws Exception {
    try {
      // revoke the good certificate too, and write the list in DER this time
      replaceCrl(TestPki.derCrl(ca.crl("second", revoked, good)));
      Wait.until(Duration.ofSeconds(20), "the node to refuse the newly revoked certificate",
          () -> curlHealth(good).exitCode() != 0);
      Etcdctl.Result r = etcdctl(good, "get", "crl-key");
      assertNotEquals(0, r.exitCode(), r.out());
      assertTrue(r.err().contains("Error:"), r.err());
    } finally {
      replaceCrl(ca.crl("third", revoked));
    }
    Wait.until(Duration.ofSeconds(20), "the node to accept the certificate again", () -> curlHealth(good).exitCode() == 0);
    etcdctl(good, "get", "crl-key").assertOk();
  }

  /** Replaces the CRL file atomically, as an operator's tooling would (no half-written file is ever seen). */
  private static void replaceCrl(Path next) throws Exception {
    Path tmp = crlFile.resolveSibling("clients.crl.tmp");
    Files.copy(next, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, crlFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
