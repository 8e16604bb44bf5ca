package io.vkv.node.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.TestPki;
import io.vkv.node.testing.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CRL file that turns bad while the member runs refuses every certificate until it is good again (never a silent
 * return to accepting revoked ones); a chain is refused when any certificate in it is revoked.
 */
class RevocationListTest {
  @TempDir
  Path dir;

  @Test
  void aCrlThatBecomesMalformedRefusesEverythingUntilItIsFixed() throws Exception {
    TestPki.Ca ca = TestPki.ca(dir.resolve("pki"), "ca");
    X509Certificate good = leaf(ca.issue("good", "good"));
    TestPki.Issued revokedFiles = ca.issue("revoked", "revoked");
    X509Certificate revoked = leaf(revokedFiles);
    Path file = dir.resolve("list.crl");
    Path valid = ca.crl("list", ca.issue("unused", "unused"), revokedFiles);
    Files.copy(valid, file);
    RevocationList crl = RevocationList.load("--client-crl-file", file);
    assertEquals(2, crl.size());
    crl.check(new X509Certificate[] {good});
    String refused = assertThrows(CertificateException.class, () -> crl.check(new X509Certificate[] {good, revoked})).getMessage();
    assertTrue(refused.contains("(subject CN=revoked) is revoked by --client-crl-file " + file), refused);

    replace(Files.writeString(dir.resolve("bad"), "-----BEGIN X509 CRL-----\nbm90IGEgQ1JM\n-----END X509 CRL-----\n"), file);
    Wait.until(Duration.ofSeconds(10), "the malformed CRL to refuse a certificate it does not list", () -> refuses(crl, good));
    String why = assertThrows(CertificateException.class, () -> crl.check(new X509Certificate[] {good})).getMessage();
    assertTrue(why.startsWith("--client-crl-file " + file + ": not a valid X.509 CRL"), why);

    replace(valid, file);
    Wait.until(Duration.ofSeconds(10), "the fixed CRL to accept the certificate again", () -> !refuses(crl, good));
    assertTrue(refuses(crl, revoked));
  }

  private static boolean refuses(RevocationList crl, X509Certificate cert) {
    try {
      crl.check(new X509Certificate[] {cert});
      return false;
    } catch (CertificateException e) {
      return true;
    }
  }

  private static void replace(Path next, Path file) throws Exception {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.copy(next, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static X509Certificate leaf(TestPki.Issued issued) {
    return PemFiles.certificates(issued.cert()).get(0);
  }
}
