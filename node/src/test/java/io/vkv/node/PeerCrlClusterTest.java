package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vkv.node.testing.Commands;
import io.vkv.node.testing.TestPki;
import io.vkv.node.testing.Wait;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --peer-crl-file: three members with peer mTLS share a CRL that revokes the third one's certificate. The other two
 * elect a leader and replicate; the revoked member hears from nobody and gets no write; the peer port refuses the
 * revoked certificate at the handshake and accepts a member's.
 */
class PeerCrlClusterTest {
  @TempDir
  Path dir;

  @Test
  void aMemberWhoseCertificateIsRevokedCannotTalkToTheOthers() throws Exception {
    TestPki.Ca ca = TestPki.ca(dir.resolve("pki"), "peer-ca");
    List<TestPki.Issued> certs = new ArrayList<>();
    for (int i = 0; i < TestCluster.SIZE; i++) certs.add(ca.issue("m" + i, PeerTlsClusterTest.CN));
    Path crl = ca.crl("peers", certs.get(2));
    try (TestCluster c = TestCluster.startWithPeerTls(dir.resolve("cluster"),
        i -> PeerTlsClusterTest.peerTls(certs.get(i), ca).withCrlFile(crl))) {
      int leader = c.awaitOneLeader(List.of(0, 1), 10_000);
      // m0 and m1 make a quorum and go on; the leader keeps trying to reach m2 meanwhile, in vain
      for (int round = 0; round < 5; round++) {
        String value = Integer.toString(round);
        c.put(leader, "peer-crl/x", value);
        Wait.until(Duration.ofSeconds(10), "m0 and m1 to apply write " + round,
            () -> value.equals(c.scan(0, "peer-crl/", true).get("peer-crl/x"))
                && value.equals(c.scan(1, "peer-crl/", true).get("peer-crl/x")));
      }
      assertEquals(0, c.status(2).getLeader());
      Map<String, String> onRevoked = c.scan(2, "peer-crl/", true);
      assertNull(onRevoked.get("peer-crl/x"), onRevoked.toString());
      assertNotEquals(c.member(2).memberId(), c.status(leader).getLeader());

      String peer = "127.0.0.1:" + c.peerPort(leader);
      assertEquals(0, sClient(peer, ca, certs.get(1)).exitCode(), "a member's certificate");
      Commands.Result refused = sClient(peer, ca, certs.get(2));
      assertNotEquals(0, refused.exitCode(), refused.all());
    }
  }

  /** A TLS 1.2 handshake with a peer port (TLS 1.2: the client certificate is judged within the handshake). */
  static Commands.Result sClient(String hostPort, TestPki.Ca ca, TestPki.Issued cert) {
    return Commands.run(List.of("openssl", "s_client", "-connect", hostPort, "-tls1_2", "-CAfile", ca.cert().toString(),
        "-verify_return_error", "-brief", "-cert", cert.cert().toString(), "-key", cert.key().toString()));
  }
}
