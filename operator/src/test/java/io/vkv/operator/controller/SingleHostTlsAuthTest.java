package io.vkv.operator.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.Commands;
import io.vkv.node.testing.TestPki;
import io.vkv.node.testing.Wait;
import io.vkv.operator.backend.local.LocalPlatform;
import io.vkv.operator.backend.local.SingleHost;
import io.vkv.operator.backup.SnapshotTrailer;
import io.vkv.operator.reconcile.PlatformMember;
import io.vkv.operator.spec.ClusterStatus;
import io.vkv.operator.spec.SpecFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.tls (autoTls) and spec.auth for real on one host: 3 vkv processes on https with certificates from the
 * operator's cluster CA and auth enabled by the operator; etcdctl with the CA and root's password works, without
 * them it is refused; a backup (Snapshot, root only) and a member replaced after kill -9 and data loss (member add
 * and remove as root, a new member certificate) go through with auth on. Each pass runs on a fresh controller.
 */
class SingleHostTlsAuthTest {
  private static final Path VKV_JAR = Path.of(System.getProperty("vkv.jar", "../node/target/vkv.jar")).toAbsolutePath();
  private static final List<String> MEMBER_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  // generous: member start-up over TLS on a loaded 2-core CI host took up to 30 s
  private static final Duration STEP = Duration.ofSeconds(180);
  private static final String PASSWORD = "s3cret pw";

  @TempDir Path dir;
  private Path spec;

  @AfterEach
  void destroy() throws IOException {
    if (spec == null || !Files.exists(spec)) return;
    LocalPlatform platform = host().platform(SpecFiles.readSpec(spec));
    for (PlatformMember p : platform.list()) platform.delete(p.name());
  }

  @Test
  void autoTlsAndAuthFromCreateThroughBackupAndHeal() throws Exception {
    assertTrue(Files.isRegularFile(VKV_JAR), "build node first: " + VKV_JAR);
    Files.writeString(dir.resolve("root-password"), PASSWORD + "\n");
    spec = dir.resolve("sec.yaml");
    Files.writeString(spec, "apiVersion: vkv.io/v1alpha1\nkind: VkvCluster\nmetadata: {name: sec}\nspec:\n  size: 3\n"
        + "  storage: {dataRoot: sec-data}\n  member: {heartbeatInterval: 50, electionTimeout: 500}\n"
        + "  heal: {unhealthyAfter: 60s}\n  backup: {interval: 1h, directory: backups}\n"
        + "  tls: {autoTls: true}\n  auth: {rootPasswordSecret: root-password}\n");
    Path backups = dir.resolve("backups");

    ClusterStatus s = reconcileUntil("3 healthy voters over TLS and a backup", st -> running(st, 3) && backupCount(backups) == 1);
    assertTrue(s.members().stream().allMatch(m -> m.clientUrl().startsWith("https://127.0.0.1:")), s.members().toString());
    SnapshotTrailer.verify(Files.list(backups).filter(f -> f.toString().endsWith(".db")).findFirst().orElseThrow());
    Path ca = dir.resolve("sec-data/tls/ca.crt");
    String endpoints = s.members().stream().map(ClusterStatus.MemberStatus::clientUrl).collect(Collectors.joining(","));

    // the CA and root's password work; auth is on, so no user is refused, and so is anyone who cannot check the CA
    assertEquals("OK", etcdctl(endpoints, "--cacert=" + ca, "--user=root:" + PASSWORD, "put", "k", "v").out().trim());
    assertEquals("k\nv", etcdctl(endpoints, "--cacert=" + ca, "--user=root:" + PASSWORD, "get", "k").out().trim());
    Commands.Result noUser = etcdctl(endpoints, "--cacert=" + ca, "get", "k");
    assertNotEquals(0, noUser.exitCode());
    assertTrue(noUser.err().contains("etcdserver: user name is empty"), noUser.all());
    Commands.Result wrongPassword = etcdctl(endpoints, "--cacert=" + ca, "--user=root:nope", "get", "k");
    assertTrue(wrongPassword.err().contains("authentication failed, invalid user ID or password"), wrongPassword.all());
    Commands.Result noCa = etcdctl(endpoints, "--user=root:" + PASSWORD, "get", "k");
    // etcdctl 3.4 hides the handshake's reason behind its balancer: "all SubConns are in TransientFailure"
    assertNotEquals(0, noCa.exitCode(), noCa.all());
    assertEquals("", noCa.out(), noCa.all());
    Commands.Result plain = etcdctl(endpoints.replace("https://", "http://"), "--user=root:" + PASSWORD, "get", "k");
    assertNotEquals(0, plain.exitCode(), "a plain-text client gets nothing: " + plain.all());
    assertEquals("", plain.out(), plain.all());

    // heal with auth on: kill -9 a follower and delete its data; removed and replaced (member calls as root)
    String leader = s.leader();
    String victim = s.members().stream().filter(m -> !m.name().equals(leader)).findFirst().orElseThrow().name();
    LocalPlatform platform = host().platform(SpecFiles.readSpec(spec));
    platform.kill(victim);
    deleteTree(platform.dataDir(victim));
    s = reconcileUntil("the lost member replaced", st -> running(st, 3)
        && st.members().stream().noneMatch(m -> m.name().equals(victim)) && platform.list().size() == 3);
    Set<String> names = s.members().stream().map(ClusterStatus.MemberStatus::name).collect(Collectors.toSet());
    String added = names.stream().filter(n -> !Set.of("sec-1", "sec-2", "sec-3").contains(n)).findFirst().orElseThrow();
    assertTrue(Files.isRegularFile(dir.resolve("sec-data").resolve(added).resolve("tls/member.crt")), "the new member got a certificate");
    String newUrl = s.members().stream().filter(m -> m.name().equals(added)).findFirst().orElseThrow().clientUrl();
    assertEquals("k\nv", etcdctl(newUrl, "--cacert=" + ca, "--user=root:" + PASSWORD, "get", "k").out().trim());
  }

  /**
   * Secrets instead of autoTls, with client certificates required: the members use the directories' certificates on
   * both ports, the operator presents the client secret's certificate (it observes, and takes a backup through
   * Snapshot), and a client without a certificate is refused.
   */
  @Test
  void secretsWithClientCertificatesRequired() throws Exception {
    assertTrue(Files.isRegularFile(VKV_JAR), "build node first: " + VKV_JAR);
    TestPki.Ca pki = TestPki.ca(Files.createDirectories(dir.resolve("pki")), "test-ca");
    secret(pki, "client-tls", pki.issue("client-member", "vkv-member"));
    secret(pki, "peer-tls", pki.issue("peer-member", "vkv-member"));
    TestPki.Issued user = pki.issue("user", "someone");
    spec = dir.resolve("mtls.yaml");
    Files.writeString(spec, "apiVersion: vkv.io/v1alpha1\nkind: VkvCluster\nmetadata: {name: mtls}\nspec:\n  size: 1\n"
        + "  storage: {dataRoot: mtls-data}\n  member: {heartbeatInterval: 50, electionTimeout: 500}\n"
        + "  backup: {interval: 1h, directory: backups}\n"
        + "  tls: {clientSecret: client-tls, peerSecret: peer-tls, clientCertAuth: true}\n");
    ClusterStatus s = reconcileUntil("1 healthy member over mTLS and a backup", st -> running(st, 1) && backupCount(dir.resolve("backups")) == 1);
    String url = s.members().get(0).clientUrl();
    assertTrue(url.startsWith("https://"), url);
    assertTrue(host().platform(SpecFiles.readSpec(spec)).list().get(0).peerUrl().startsWith("https://"));
    String ca = "--cacert=" + pki.cert();
    assertEquals("OK", etcdctl(url, ca, "--cert=" + user.cert(), "--key=" + user.key(), "put", "k", "v").out().trim());
    Commands.Result noCert = etcdctl(url, ca, "get", "k");
    assertNotEquals(0, noCert.exitCode(), noCert.all());
    assertEquals("", noCert.out(), noCert.all());
  }

  private void secret(TestPki.Ca pki, String name, TestPki.Issued issued) throws IOException {
    Path d = Files.createDirectories(dir.resolve(name));
    Files.copy(issued.cert(), d.resolve("tls.crt"));
    Files.copy(issued.key(), d.resolve("tls.key"));
    Files.copy(pki.cert(), d.resolve("ca.crt"));
  }

  // ---- driving the controller ----

  private SingleHost host() {
    return new SingleHost(dir, VKV_JAR, MEMBER_JVM);
  }

  @FunctionalInterface
  interface StatusCheck {
    boolean holds(ClusterStatus s) throws Exception;
  }

  private ClusterStatus reconcileUntil(String what, StatusCheck done) {
    ClusterStatus[] last = {null};
    Wait.until(STEP, () -> what + "; last status:\n" + SpecFiles.toYaml(last[0]), () -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (Controller c = new Controller(spec, host(), Clock.systemUTC(), new PrintStream(out, true, StandardCharsets.UTF_8))) {
        c.pass();
      }
      for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) if (!line.isBlank()) System.out.println(line);
      last[0] = SpecFiles.readStatus(SpecFiles.statusFileFor(spec));
      return done.holds(last[0]);
    });
    return last[0];
  }

  private static boolean running(ClusterStatus s, int voters) {
    return s != null && "Running".equals(s.phase()) && s.members().size() == voters
        && s.members().stream().allMatch(m -> m.healthy() && !m.learner());
  }

  private static long backupCount(Path backups) throws IOException {
    if (!Files.isDirectory(backups)) return 0;
    try (Stream<Path> files = Files.list(backups)) {
      return files.filter(f -> f.toString().endsWith(".db")).count();
    }
  }

  private static Commands.Result etcdctl(String endpoints, String... args) {
    List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoints, "--dial-timeout=3s", "--command-timeout=5s"));
    cmd.addAll(List.of(args));
    return Commands.run(cmd);
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> all = Files.walk(p)) {
      for (Path f : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
    }
  }
}
