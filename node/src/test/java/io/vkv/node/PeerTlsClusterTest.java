package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.Commands;
import io.vkv.node.testing.TestPki;
import io.vkv.node.testing.Wait;
import io.vkv.node.tls.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members on https peer URLs with peer mTLS (--peer-client-cert-auth, --peer-trusted-ca-file,
 * --peer-cert-allowed-cn): they elect a leader and replicate over TLS; a member whose certificate another CA signed
 * cannot take part; the peer port refuses a client without a certificate or with another CN.
 */
class PeerTlsClusterTest {
  static final String CN = "vkv-member";
  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  @TempDir
  Path dir;

  static TlsSettings peerTls(TestPki.Issued own, TestPki.Ca trusted) {
    return new TlsSettings(own.cert(), own.key(), trusted.cert(), true, false, CN, PROTOCOLS, List.of());
  }

  @Test
  void membersWithPeerMtlsElectAndReplicateAndThePeerPortRefusesStrangers() throws Exception {
    TestPki.Ca ca = TestPki.ca(dir.resolve("pki"), "peer-ca");
    List<TestPki.Issued> certs = new ArrayList<>();
    for (int i = 0; i < TestCluster.SIZE; i++) certs.add(ca.issue("m" + i, CN));
    try (TestCluster c = TestCluster.startWithPeerTls(dir.resolve("cluster"), i -> peerTls(certs.get(i), ca))) {
      int leader = c.awaitOneLeader(List.of(0, 1, 2), 10_000);
      c.put(leader, "peer-tls/a", "1");
      for (int i = 0; i < TestCluster.SIZE; i++) {
        int member = i;
        Wait.until(Duration.ofSeconds(10), "m" + i + " to apply the write",
            () -> "1".equals(c.scan(member, "peer-tls/", true).get("peer-tls/a")));
      }
      // a write through a follower is forwarded to the leader over TLS too
      int follower = (leader + 1) % TestCluster.SIZE;
      c.put(follower, "peer-tls/b", "2");
      assertEquals("2", c.get(leader, "peer-tls/b"));

      String peer = "127.0.0.1:" + c.peerPort(0);
      TestPki.Issued intruder = ca.issue("intruder", "intruder");
      assertEquals(0, sClient(peer, ca, certs.get(1)).exitCode());
      assertNotEquals(0, sClient(peer, ca, intruder).exitCode(), "a certificate with another CN");
      assertNotEquals(0, sClient(peer, ca, null).exitCode(), "no client certificate");
    }
  }

  @Test
  void aMemberWithACertificateFromAnotherCaCannotTalkToTheOthers() throws Exception {
    TestPki.Ca ca = TestPki.ca(dir.resolve("pki"), "peer-ca");
    TestPki.Ca rogue = TestPki.ca(dir.resolve("rogue-pki"), "rogue-ca");
    List<TestPki.Issued> certs = List.of(ca.issue("m0", CN), ca.issue("m1", CN), rogue.issue("m2", CN));
    try (TestCluster c = TestCluster.startWithPeerTls(dir.resolve("cluster"), i -> peerTls(certs.get(i), ca))) {
      int leader = c.awaitOneLeader(List.of(0, 1), 10_000);
      // m0 and m1 make a quorum and go on; the leader heartbeats m2 every 50 ms meanwhile, in vain
      for (int round = 0; round < 5; round++) {
        String value = Integer.toString(round);
        c.put(leader, "peer-tls/x", value);
        Wait.until(Duration.ofSeconds(10), "m0 and m1 to apply write " + round,
            () -> value.equals(c.scan(0, "peer-tls/", true).get("peer-tls/x"))
                && value.equals(c.scan(1, "peer-tls/", true).get("peer-tls/x")));
      }
      // m2 hears from nobody: it knows no leader and never got a write
      assertEquals(0, c.status(2).getLeader());
      Map<String, String> onRogue = c.scan(2, "peer-tls/", true);
      assertNull(onRogue.get("peer-tls/x"), onRogue.toString());
      assertTrue(c.status(leader).getLeader() != c.member(2).memberId());
    }
  }

  @Test
  void peerAutoTlsMembersGenerateTheirCertificatesAndReplicate() throws Exception {
    TlsSettings auto = new TlsSettings(null, null, null, false, true, null, PROTOCOLS, List.of());
    try (TestCluster c = TestCluster.startWithPeerTls(dir.resolve("cluster"), i -> auto)) {
      int leader = c.awaitOneLeader(List.of(0, 1, 2), 10_000);
      c.put(leader, "auto/a", "1");
      for (int i = 0; i < TestCluster.SIZE; i++) {
        int member = i;
        Wait.until(Duration.ofSeconds(10), "m" + i + " to apply the write",
            () -> "1".equals(c.scan(member, "auto/", true).get("auto/a")));
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("cluster").resolve(TestCluster.name(i))
            .resolve("fixtures").resolve("peer").resolve("cert.pem")));
      }
      // the peer port speaks TLS only: a TLS handshake succeeds (no client certificate asked for)
      Commands.Result hello = Commands.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + c.peerPort(0), "-brief"));
      assertEquals(0, hello.exitCode(), hello.all());
      assertTrue(hello.err().contains("CN = vkv auto TLS"), hello.err());
    }
  }

  @Test
  void aFollowerBehindTheCompactedLogCatchesUpFromASnapshotStreamedOverTls() throws Exception {
    TestPki.Ca ca = TestPki.ca(dir.resolve("pki"), "peer-ca");
    List<TestPki.Issued> certs = new ArrayList<>();
    for (int i = 0; i < TestCluster.SIZE; i++) certs.add(ca.issue("m" + i, CN));
    List<String> installs = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Logger raftLog = java.util.logging.Logger.getLogger("io.vkv.node.raft");
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        if (r.getMessage() != null && r.getMessage().startsWith("installed the snapshot")) installs.add(r.getMessage());
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    raftLog.addHandler(capture);
    try (TestCluster c = TestCluster.startWithPeerTls(dir.resolve("cluster"), i -> peerTls(certs.get(i), ca),
        new io.vkv.node.raft.LogRetention(100, 20))) {
      int leader = c.awaitOneLeader(List.of(0, 1, 2), 10_000);
      int f = c.others(leader).get(0);
      c.put(leader, "snap/before", "0");
      Wait.until(Duration.ofSeconds(10), "the follower to apply the first write",
          () -> "0".equals(c.scan(f, "snap/", true).get("snap/before")));
      c.stop(f);
      // well past what the leader keeps (compaction every 100 applied entries, 20 kept)
      for (int i = 0; i < 300; i++) c.put(leader, "snap/" + (i % 50), Integer.toString(i));
      c.start(f);
      Wait.until(Duration.ofSeconds(20), "the restarted follower to catch up",
          () -> "299".equals(c.scan(f, "snap/", true).get("snap/49")));
      Wait.until(Duration.ofSeconds(10), "the snapshot install to be logged", () -> !installs.isEmpty());
      assertEquals(c.scan(leader, "snap/", true), c.scan(f, "snap/", true));
    } finally {
      raftLog.removeHandler(capture);
    }
  }

  /** A TLS 1.2 handshake with the peer port (TLS 1.2: the client certificate is judged within the handshake). */
  private static Commands.Result sClient(String hostPort, TestPki.Ca ca, TestPki.Issued cert) {
    List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", hostPort, "-tls1_2", "-CAfile",
        ca.cert().toString(), "-verify_return_error", "-brief"));
    if (cert != null) cmd.addAll(List.of("-cert", cert.cert().toString(), "-key", cert.key().toString()));
    return Commands.run(cmd);
  }
}
