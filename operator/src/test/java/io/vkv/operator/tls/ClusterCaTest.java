package io.vkv.operator.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCaTest {
  @TempDir Path dir;

  @Test
  void memberCertificatesChainToTheClusterCaAndNameTheirHosts() throws Exception {
    ClusterCa ca = ClusterCa.ensure(dir.resolve("tls"), "demo");
    ClusterCa.Issued m = ca.issue(dir.resolve("m/member.crt"), dir.resolve("m/member.key"), "demo-1", List.of("127.0.0.1", "localhost"));
    X509Certificate root = read(ca.certFile());
    X509Certificate leaf = read(m.cert());
    assertTrue(root.getBasicConstraints() >= 0, "the CA certificate is a CA");
    assertEquals(-1, leaf.getBasicConstraints(), "a member certificate is not");
    assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), leaf.getExtendedKeyUsage());
    assertEquals(Set.of(List.of(7, "127.0.0.1"), List.of(2, "localhost")), Set.copyOf(leaf.getSubjectAlternativeNames()));
    assertTrue(leaf.getSubjectX500Principal().getName().contains("CN=demo-1"), leaf.getSubjectX500Principal().getName());

    // the JDK's PKIX checks (signature, validity, CA constraints) accept the chain...
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
    // ...and so does openssl, which is what etcdctl-like tools and users check with
    Process p = new ProcessBuilder("openssl", "verify", "-CAfile", ca.certFile().toString(), m.cert().toString())
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains(": OK"), out);
    assertTrue(Files.readString(m.key()).startsWith("-----BEGIN PRIVATE KEY-----"));
  }

  @Test
  void anExistingCaAndCertificateAreReusedNotReissued() throws Exception {
    ClusterCa first = ClusterCa.ensure(dir, "demo");
    String caPem = Files.readString(first.certFile());
    ClusterCa.Issued a = first.issue(dir.resolve("a.crt"), dir.resolve("a.key"), "a", List.of("127.0.0.1"));
    String leafPem = Files.readString(a.cert());
    ClusterCa again = ClusterCa.ensure(dir, "demo");
    assertEquals(caPem, Files.readString(again.certFile()));
    again.issue(dir.resolve("a.crt"), dir.resolve("a.key"), "a", List.of("127.0.0.1"));
    assertEquals(leafPem, Files.readString(a.cert()));
    // a certificate the restarted CA issues still chains to the same root
    ClusterCa.Issued b = again.issue(dir.resolve("b.crt"), dir.resolve("b.key"), "b", List.of("127.0.0.1"));
    read(b.cert()).verify(read(first.certFile()).getPublicKey());
  }

  @Test
  void anotherClustersCaDoesNotVouchForThisOne() throws Exception {
    ClusterCa mine = ClusterCa.ensure(dir.resolve("mine"), "mine");
    ClusterCa other = ClusterCa.ensure(dir.resolve("other"), "other");
    ClusterCa.Issued m = mine.issue(dir.resolve("m.crt"), dir.resolve("m.key"), "m", List.of("127.0.0.1"));
    assertFalse(Files.readString(mine.certFile()).equals(Files.readString(other.certFile())));
    assertThrows(java.security.SignatureException.class, () -> read(m.cert()).verify(read(other.certFile()).getPublicKey()));
  }

  private static X509Certificate read(Path file) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
  }
}
