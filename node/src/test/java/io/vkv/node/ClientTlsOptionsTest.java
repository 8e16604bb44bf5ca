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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server-only TLS: protocol versions and cipher suites, certificate rotation without a restart, auto TLS. */
class ClientTlsOptionsTest {
  @TempDir
  Path dir;

  private static Commands.Result sClient(String url, Path caFile, String... args) {
    String hostPort = url.substring("https://".length());
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", hostPort, "-CAfile",
        caFile.toString(), "-verify_return_error", "-brief"));
    cmd.addAll(List.of(args));
    return Commands.run(cmd);
  }

  @Test
  void versionsAndCipherSuitesAreEnforcedAndARenewedCertificateIsServedWithoutARestart() throws Exception {
    TestPki.Ca ca = TestPki.ca(dir.resolve("pki"), "ca");
    TestPki.Issued first = ca.issue("first", "first");
    // the renewal also switches the key type (EC to RSA): handshakes pick the new pair whatever its algorithm
    TestPki.Issued renewed = ca.issue("renewed", "renewed", "rsa");
    Path cert = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    Files.copy(first.cert(), cert);
    Files.copy(first.key(), key);
    VkvNode node = TestNodes.start(NodeCommandTest.parse("--name=opts", "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls=https://127.0.0.1:0", "--listen-peer-urls=http://127.0.0.1:0",
        "--cert-file", cert.toString(), "--key-file", key.toString(), "--tls-max-version=TLS1.2",
        "--cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
    try {
      String url = node.clientUrls().get(0).toString();
      Commands.Result tls12 = sClient(url, ca.cert());
      assertEquals(0, tls12.exitCode(), tls12.all());
      assertTrue(tls12.err().contains("Protocol version: TLSv1.2"), tls12.err());
      assertTrue(tls12.err().contains("Ciphersuite: ECDHE-ECDSA-AES128-GCM-SHA256"), tls12.err());
      assertTrue(tls12.err().contains("CN = first"), tls12.err());
      Commands.Result tls13 = sClient(url, ca.cert(), "-tls1_3");
      assertNotEquals(0, tls13.exitCode(), tls13.all());
      Commands.Result otherSuite = sClient(url, ca.cert(), "-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384");
      assertNotEquals(0, otherSuite.exitCode(), otherSuite.all());
      assertEquals("OK\n", new Etcdctl(url).run("--cacert=" + ca.cert(), "put", "k", "v").assertOk().out());

      // renew: the key first, then the certificate, each replaced atomically as a renewal tool would
      Files.copy(renewed.key(), dir.resolve("key.tmp"));
      Files.move(dir.resolve("key.tmp"), key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Files.copy(renewed.cert(), dir.resolve("cert.tmp"));
      Files.move(dir.resolve("cert.tmp"), cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Wait.until(Duration.ofSeconds(10), "a new connection to see the renewed certificate",
          () -> sClient(url, ca.cert()).err().contains("CN = renewed"));
      Commands.Result rsa = sClient(url, ca.cert());
      assertTrue(rsa.err().contains("Ciphersuite: ECDHE-RSA-AES128-GCM-SHA256"), rsa.err());
      assertEquals("k\nv\n", new Etcdctl(url).run("--cacert=" + ca.cert(), "get", "k").assertOk().out());
    } finally {
      TestNodes.stop(node);
    }
  }

  @Test
  void autoTlsServesASelfSignedCertificate() {
    Path data = dir.resolve("auto");
    VkvNode node = TestNodes.start(NodeCommandTest.parse("--name=auto", "--data-dir", data.toString(),
        "--listen-client-urls=https://127.0.0.1:0", "--listen-peer-urls=http://127.0.0.1:0", "--auto-tls"));
    try {
      String url = node.clientUrls().get(0).toString();
      assertTrue(Files.isRegularFile(data.resolve("fixtures").resolve("client").resolve("cert.pem")));
      assertEquals("OK\n", new Etcdctl(url).run("--insecure-transport=false", "--insecure-skip-tls-verify", "put", "a", "1").assertOk().out());
      // a client that verifies the server cannot trust a self-signed certificate
      Etcdctl.Result verifying = new Etcdctl(url).run("--dial-timeout=1s", "--command-timeout=1s", "get", "a");
      assertNotEquals(0, verifying.exitCode(), verifying.out());
    } finally {
      TestNodes.stop(node);
    }
  }
}
