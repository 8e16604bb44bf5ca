package io.vkv.operator.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecFilesTest {
  private static final String HEAD = "apiVersion: vkv.io/v1alpha1\nkind: VkvCluster\nmetadata: {name: demo}\nspec:\n";

  @Test
  void readsEveryFieldOfTheExample() throws IOException {
    VkvCluster c = SpecFiles.readSpec(Path.of("examples/demo.yaml"));
    assertEquals("demo", c.name());
    assertEquals(3, c.spec().sizeOrDefault());
    assertEquals("current", c.spec().versionOrDefault());
    assertEquals("demo-data", c.spec().storage().dataRoot());
    assertEquals(100, c.spec().member().heartbeatInterval());
    assertEquals(2147483648L, c.spec().member().quotaBackendBytes());
    assertEquals(Duration.ofMinutes(30), c.spec().backup().intervalOrNull());
    assertEquals(5, c.spec().backup().maxBackups());
    assertEquals(Duration.ofSeconds(60), c.spec().healOrDefault().unhealthyAfterOrDefault());
    assertNull(c.spec().restore());
  }

  @Test
  void readsTheTlsAndAuthExample() throws IOException {
    VkvCluster c = SpecFiles.readSpec(Path.of("examples/secure.yaml"));
    assertEquals("secure", c.name());
    assertTrue(c.spec().tls().auto());
    assertTrue(c.spec().tls().clientTls() && c.spec().tls().peerTls());
    assertFalse(c.spec().tls().requireClientCerts());
    assertEquals("secure-root-password", c.spec().auth().rootPasswordSecret());
  }

  @Test
  void tlsSidesFollowTheSecretsAndAutoTls() throws IOException {
    ClusterSpec.TlsSpec peerOnly = SpecFiles.parse(HEAD + "  storage: {dataRoot: d}\n  tls: {peerSecret: peer-tls}\n").spec().tls();
    assertTrue(peerOnly.peerTls());
    assertFalse(peerOnly.clientTls());
    ClusterSpec.TlsSpec mixed = SpecFiles.parse(HEAD + "  storage: {dataRoot: d}\n"
        + "  tls: {autoTls: true, clientSecret: client-tls, clientCertAuth: true}\n").spec().tls();
    assertTrue(mixed.clientTls() && mixed.peerTls() && mixed.requireClientCerts());
  }

  @Test
  void aMisspeltFieldIsAnError() {
    Exception e = assertThrows(IOException.class, () -> SpecFiles.parse(HEAD + "  size: 3\n  storage: {dataRoot: d}\n  sise: 5\n"));
    assertTrue(e.getMessage().contains("sise"), e.getMessage());
  }

  @Test
  void invalidSpecsAreRefusedWithTheFieldNamed() {
    for (List<String> c : List.of(
        List.of("  size: 0\n  storage: {dataRoot: d}\n", "spec.size"),
        List.of("  size: 1\n", "spec.storage.dataRoot"),
        List.of("  storage: {dataRoot: d}\n  backup: {interval: 1m}\n", "spec.backup.directory"),
        List.of("  storage: {dataRoot: d}\n  backup: {interval: 1m, directory: b, maxBackups: 0}\n", "maxBackups"),
        List.of("  storage: {dataRoot: d}\n  backup: {interval: soon, directory: b}\n", "not a duration"),
        List.of("  storage: {dataRoot: d}\n  restore: {backupName: x.db}\n", "spec.restore"),
        List.of("  storage: {dataRoot: d}\n  tls: {autoTls: false}\n", "spec.tls needs autoTls: true, a clientSecret or a peerSecret"),
        List.of("  storage: {dataRoot: d}\n  tls: {peerSecret: p, clientCertAuth: true}\n", "spec.tls.clientCertAuth needs TLS on the client side"),
        List.of("  storage: {dataRoot: d}\n  auth: {}\n", "spec.auth.rootPasswordSecret is required"))) {
      Exception e = assertThrows(IllegalArgumentException.class, () -> SpecFiles.parse(HEAD + c.get(0)), c.get(0));
      assertTrue(e.getMessage().contains(c.get(1)), e.getMessage());
    }
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> SpecFiles.parse(HEAD.replace("demo", "Bad_Name") + "  storage: {dataRoot: d}\n"));
    assertTrue(e.getMessage().contains("metadata.name"), e.getMessage());
  }

  @Test
  void theStatusIsWrittenBesideTheSpecAndReadBack(@TempDir Path dir) throws IOException {
    Path spec = dir.resolve("demo.yaml");
    assertEquals(dir.resolve("demo.status.yaml"), SpecFiles.statusFileFor(spec));
    ClusterStatus s = new ClusterStatus("Running", List.of(new ClusterStatus.MemberStatus("demo-1", "a1", true, false, "3.4.0",
        "http://127.0.0.1:1234", null)), "demo-1", "3.4.0", null, null, "x", null,
        List.of(new ClusterStatus.Condition("Ready", "True", "AsSpecified", "m", "t")), 1);
    SpecFiles.writeStatus(SpecFiles.statusFileFor(spec), s);
    assertEquals(s, SpecFiles.readStatus(SpecFiles.statusFileFor(spec)));
    assertTrue(Files.readString(SpecFiles.statusFileFor(spec)).contains("phase: Running"));
    assertNull(SpecFiles.readStatus(dir.resolve("none.status.yaml")));
  }

  @Test
  void durationsInGoForm() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
    assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
    assertEquals(Duration.ofHours(2), Durations.parse("2h"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("5 minutes"));
  }
}
