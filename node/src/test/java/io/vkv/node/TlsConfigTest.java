package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.TestPki;
import io.vkv.node.tls.CertifiedKey;
import io.vkv.node.tls.CipherSuites;
import io.vkv.node.tls.TlsConfigException;
import io.vkv.node.tls.TlsContext;
import io.vkv.node.tls.TlsSettings;
import io.vkv.node.tls.TlsVersions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS settings that cannot work fail at start with a message naming the flag or file; the key formats etcd takes. */
class TlsConfigTest {
  @TempDir
  static Path dir;
  static TestPki.Ca ca;
  static TestPki.Issued a;
  static TestPki.Issued b;
  static final List<URI> HTTPS = List.of(URI.create("https://127.0.0.1:0"));
  static final Set<String> BOTH = Set.of("TLSv1.2", "TLSv1.3");

  @BeforeAll
  static void pki() {
    ca = TestPki.ca(dir.resolve("pki"), "ca");
    a = ca.issue("a", "a");
    b = ca.issue("b", "b");
  }

  static TlsSettings settings(Path cert, Path key, Path ca, boolean clientCertAuth, boolean auto) {
    return new TlsSettings(cert, key, ca, clientCertAuth, auto, null, BOTH, List.of());
  }

  static String failure(TlsSettings s, List<URI> urls) {
    return assertThrows(TlsConfigException.class, () -> TlsContext.create("client", s, urls, dir)).getMessage();
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.crt");
    assertEquals("certificate file " + missing + ": no such file", failure(settings(missing, a.key(), null, false, false), HTTPS));
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefused() {
    assertEquals("the private key in " + b.key() + " does not match the certificate in " + a.cert(),
        failure(settings(a.cert(), b.key(), null, false, false), HTTPS));
  }

  @Test
  void httpsWithoutACertificateAndCertificatesOnHttpAreRefused() {
    assertTrue(failure(settings(null, null, null, false, false), HTTPS).contains("need --cert-file and --key-file, or --auto-tls"));
    assertTrue(failure(settings(a.cert(), a.key(), null, false, false), List.of(URI.create("http://127.0.0.1:0")))
        .contains("use https:// URLs"));
    assertTrue(failure(settings(a.cert(), a.key(), null, true, false), HTTPS).contains("--client-cert-auth needs --trusted-ca-file"));
    assertTrue(failure(settings(a.cert(), a.key(), null, false, false),
        List.of(URI.create("https://127.0.0.1:1"), URI.create("http://127.0.0.1:2"))).contains("mix http and https"));
    assertTrue(assertThrows(TlsConfigException.class, () -> TlsContext.create("peer",
        new TlsSettings(a.cert(), a.key(), ca.cert(), false, false, "member", BOTH, List.of()), HTTPS, dir))
        .getMessage().contains("--peer-cert-allowed-cn needs --peer-client-cert-auth"));
    assertNull(TlsContext.create("client", TlsSettings.NONE, List.of(URI.create("http://127.0.0.1:0")), dir));
  }

  @Test
  void aCrlFileThatCannotBeUsedStopsTheStartNamingTheFlagAndFile() throws Exception {
    TlsSettings mtls = settings(a.cert(), a.key(), ca.cert(), true, false);
    Path missing = dir.resolve("missing.crl");
    assertEquals("--client-crl-file " + missing + ": no such file", failure(mtls.withCrlFile(missing), HTTPS));
    Path directory = Files.createDirectories(dir.resolve("a-directory.crl"));
    assertTrue(failure(mtls.withCrlFile(directory), HTTPS).startsWith("--client-crl-file " + directory + ": cannot read"));
    Path garbage = Files.writeString(dir.resolve("garbage.crl"), "-----BEGIN X509 CRL-----\nbm90IGEgQ1JM\n-----END X509 CRL-----\n");
    assertTrue(failure(mtls.withCrlFile(garbage), HTTPS).startsWith("--client-crl-file " + garbage + ": not a valid X.509 CRL"),
        failure(mtls.withCrlFile(garbage), HTTPS));
    Path empty = Files.writeString(dir.resolve("empty.crl"), "");
    assertTrue(failure(mtls.withCrlFile(empty), HTTPS).startsWith("--client-crl-file " + empty + ": "), failure(mtls.withCrlFile(empty), HTTPS));
    // a certificate is not a CRL
    assertTrue(failure(mtls.withCrlFile(a.cert()), HTTPS).startsWith("--client-crl-file " + a.cert() + ": "));
    String peer = assertThrows(TlsConfigException.class, () -> TlsContext.create("peer", mtls.withCrlFile(missing), HTTPS, dir))
        .getMessage();
    assertEquals("--peer-crl-file " + missing + ": no such file", peer);
  }

  @Test
  void crlFilesInPemAndDerAreRead() {
    Path pem = ca.crl("config-test", b);
    TlsSettings mtls = settings(a.cert(), a.key(), ca.cert(), true, false);
    assertEquals(a.cert(), TlsContext.create("client", mtls.withCrlFile(pem), HTTPS, dir).settings().certFile());
    assertEquals(a.cert(), TlsContext.create("peer", mtls.withCrlFile(TestPki.derCrl(pem)), HTTPS, dir).settings().certFile());
  }

  @Test
  void checksOfClientCertificatesNeedClientCertAuthAndCnExcludesHostname() {
    TlsSettings noMtls = settings(a.cert(), a.key(), ca.cert(), false, false);
    assertEquals("--client-crl-file needs --client-cert-auth (without it no client certificate is asked for)",
        failure(noMtls.withCrlFile(ca.crl("unused", b)), HTTPS));
    assertEquals("--client-cert-allowed-hostname needs --client-cert-auth (without it no client certificate is asked for)",
        failure(noMtls.withAllowedHostname("localhost"), HTTPS));
    TlsSettings both = new TlsSettings(a.cert(), a.key(), ca.cert(), true, false, "member", BOTH, List.of())
        .withAllowedHostname("localhost");
    assertEquals("--peer-cert-allowed-cn and --peer-cert-allowed-hostname are mutually exclusive (cn='member', "
        + "hostname='localhost')", assertThrows(TlsConfigException.class, () -> TlsContext.create("peer", both, HTTPS, dir)).getMessage());
  }

  @Test
  void keysInPkcs8Pkcs1AndSec1AreRead() throws Exception {
    for (String type : List.of("ec", "rsa", "sec1")) {
      TestPki.Issued i = ca.issue("k-" + type, "k-" + type, type);
      CertifiedKey k = CertifiedKey.load(i.cert(), i.key());
      assertEquals("CN=k-" + type, k.leaf().getSubjectX500Principal().getName());
    }
    TestPki.Issued sec1 = ca.issue("k-sec1b", "k-sec1b", "sec1");
    assertTrue(Files.readString(sec1.key()).contains("BEGIN EC PRIVATE KEY"));
    // openssl writes PKCS#1 when asked for the traditional format
    Path pkcs1 = dir.resolve("pkcs1.key");
    TestPki.Issued rsa = ca.issue("k-rsa1", "k-rsa1", "rsa");
    TestPki.openssl("rsa", "-in", rsa.key().toString(), "-traditional", "-out", pkcs1.toString());
    assertTrue(Files.readString(pkcs1).contains("BEGIN RSA PRIVATE KEY"));
    CertifiedKey.load(rsa.cert(), pkcs1);
  }

  @Test
  void autoTlsWritesASelfSignedCertificateOpensslAccepts() throws Exception {
    Path data = dir.resolve("auto");
    TlsContext ctx = TlsContext.create("peer", settings(null, null, null, false, true), HTTPS, data);
    X509Certificate cert = ctx.currentCertificate();
    cert.checkValidity();
    cert.verify(cert.getPublicKey());
    Path file = data.resolve("fixtures").resolve("peer").resolve("cert.pem");
    String text = TestPki.openssl("x509", "-in", file.toString(), "-noout", "-text");
    assertTrue(text.contains("IP Address:127.0.0.1"), text);
    assertTrue(text.contains("TLS Web Server Authentication, TLS Web Client Authentication"), text);
    // kept across restarts, as etcd does
    assertEquals(cert, TlsContext.create("peer", settings(null, null, null, false, true), HTTPS, data).currentCertificate());
  }

  @Test
  void cipherSuitesTakeGosNamesAndAnUnknownNameStopsTheStart() {
    assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
        CipherSuites.toJsse(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305")));
    NodeCommandTest.Run run = NodeCommandTest.run("--cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_NOT_A_SUITE");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("--cipher-suites: unknown cipher suite 'TLS_NOT_A_SUITE'"), run.err());
    assertEquals(Set.of("TLSv1.2"), TlsVersions.protocols("TLS1.2", "TLS1.2"));
    assertEquals(Set.of("TLSv1.3"), TlsVersions.protocols("TLS1.3", ""));
    assertTrue(assertThrows(TlsConfigException.class, () -> TlsVersions.protocols("TLS1.0", ""))
        .getMessage().contains("unsupported TLS version 'TLS1.0'"));
  }

  @Test
  void aMissingKeyFileStopsTheStartWithItsName() {
    Path missing = dir.resolve("missing.key");
    NodeCommandTest.Run run = NodeCommandTest.run("--name=x", "--data-dir", dir.resolve("x").toString(),
        "--listen-client-urls=https://127.0.0.1:0", "--listen-peer-urls=http://127.0.0.1:0",
        "--cert-file", a.cert().toString(), "--key-file", missing.toString());
    assertEquals(1, run.code(), run.err());
    assertTrue(run.err().contains("key file " + missing + ": no such file"), run.err());
  }
}
