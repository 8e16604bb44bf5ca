package io.vkv.operator.backend.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.Wait;
import io.vkv.operator.cluster.ClusterAccess;
import io.vkv.operator.reconcile.PlatformMember;
import io.vkv.operator.spec.SpecFiles;
import io.vkv.operator.spec.VkvCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The single-host TLS plumbing without vkv processes: URLs, member flags, the operator's access, a changed spec.tls. */
class LocalTlsTest {
  @TempDir Path dir;

  private SingleHost host() {
    return new SingleHost(dir, dir.resolve("vkv.jar"), List.of());
  }

  private static VkvCluster spec(String extra) throws IOException {
    return SpecFiles.parse("apiVersion: vkv.io/v1alpha1\nkind: VkvCluster\nmetadata: {name: c}\nspec:\n"
        + "  storage: {dataRoot: data}\n" + extra);
  }

  @Test
  void autoTlsGivesHttpsUrlsMemberCertificatesAndACaTheOperatorTrusts() throws IOException {
    VkvCluster c = spec("  tls: {autoTls: true, clientCertAuth: true}\n  auth: {rootPasswordSecret: pw}\n");
    Files.writeString(dir.resolve("pw"), "secret\nignored second line\n");
    PlatformMember m = host().platform(c).prepare("c-1");
    assertTrue(m.clientUrl().startsWith("https://127.0.0.1:") && m.peerUrl().startsWith("https://127.0.0.1:"), m.toString());
    Path memberDir = dir.resolve("data/c-1");
    List<String> flags = host().tls(c).memberFlags(memberDir);
    Path crt = memberDir.resolve("tls/member.crt");
    Path ca = dir.resolve("data/tls/ca.crt");
    assertEquals(List.of("--cert-file=" + crt, "--key-file=" + memberDir.resolve("tls/member.key"), "--trusted-ca-file=" + ca,
        "--client-cert-auth", "--peer-cert-file=" + crt, "--peer-key-file=" + memberDir.resolve("tls/member.key"),
        "--peer-trusted-ca-file=" + ca, "--peer-client-cert-auth"), flags);
    assertTrue(Files.isRegularFile(crt));
    ClusterAccess a = host().access(c);
    assertEquals(ca, a.trustedCa());
    assertEquals(dir.resolve("data/tls/operator.crt"), a.certFile());
    assertEquals("root", a.user());
    assertEquals("secret", a.password());
    assertTrue(!a.toString().contains("secret"), "the password is never printed: " + a);
  }

  @Test
  void secretsAreUsedAsTheyAreAndMustHoldAllThreeFiles() throws IOException {
    VkvCluster c = spec("  tls: {peerSecret: peer}\n");
    PlatformMember m = host().platform(c).prepare("c-1");
    assertTrue(m.clientUrl().startsWith("http://") && m.peerUrl().startsWith("https://"), m.toString());
    IOException missing = assertThrows(IOException.class, () -> host().tls(c).memberFlags(dir.resolve("data/c-1")));
    assertTrue(missing.getMessage().contains("has no tls.crt"), missing.getMessage());
    Path peer = Files.createDirectories(dir.resolve("peer"));
    for (String f : List.of("tls.crt", "tls.key", "ca.crt")) Files.writeString(peer.resolve(f), "x");
    assertEquals(List.of("--peer-cert-file=" + peer.resolve("tls.crt"), "--peer-key-file=" + peer.resolve("tls.key"),
        "--peer-trusted-ca-file=" + peer.resolve("ca.crt"), "--peer-client-cert-auth"), host().tls(c).memberFlags(dir.resolve("data/c-1")));
    assertEquals(ClusterAccess.plainText(), host().access(c), "the client side stays plain text, without auth");
  }

  @Test
  void anUpgradeAfterATlsChangeIsRefusedBeforeTheMemberStops() throws Exception {
    LocalPlatform plain = host().platform(spec(""));
    plain.prepare("c-1");
    // a stand-in for the member's process: found, as a member is, by its --data-dir argument
    Process member = new ProcessBuilder("bash", "-c", "sleep 120; true", "member", "--data-dir=" + plain.dataDir("c-1")).start();
    try {
      Wait.until(Duration.ofSeconds(10), "the stand-in to be listed", () -> plain.process("c-1").isPresent());
      LocalPlatform withTls = host().platform(spec("  tls: {autoTls: true}\n"));
      IOException e = assertThrows(IOException.class, () -> withTls.stop("c-1"));
      assertTrue(e.getMessage().startsWith("spec.tls does not match member c-1"), e.getMessage());
      assertTrue(member.isAlive(), "the member was not stopped");
      plain.stop("c-1"); // with the spec it was created with, it stops
      assertFalse(member.isAlive());
    } finally {
      member.destroyForcibly();
    }
  }

  @Test
  void tlsCannotBeSwitchedOnAnExistingCluster() throws IOException {
    host().platform(spec("")).prepare("c-1");
    IOException e = assertThrows(IOException.class, () -> host().platform(spec("  tls: {autoTls: true}\n")).prepare("c-2"));
    assertTrue(e.getMessage().startsWith("spec.tls does not match member c-1"), e.getMessage());
  }
}
