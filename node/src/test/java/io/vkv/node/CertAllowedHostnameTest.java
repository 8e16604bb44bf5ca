package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.Commands;
import io.vkv.node.testing.TestPki;
import io.vkv.node.testing.Wait;
import io.vkv.node.tls.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --client-cert-allowed-hostname and --peer-cert-allowed-hostname: a client certificate the CA signed is accepted
 * only if it is valid for the allowed hostname (its SANs, as a server certificate is checked).
 */
class CertAllowedHostnameTest {
  @TempDir
  Path dir;

  @Test
  void theClientPortAcceptsOnlyCertificatesValidForTheAllowedHostname() {
    TestPki.Ca ca = TestPki.ca(dir.resolve("pki"), "vkv-ca");
    TestPki.Issued server = ca.issue("server", "infra0");
    TestPki.Issued named = ca.issueWithSans("named", "app", "DNS:client.vkv.test");
    TestPki.Issued wildcard = ca.issueWithSans("wildcard", "app2", "DNS:*.vkv.test");
    TestPki.Issued other = ca.issue("other", "client.vkv.test");
    VkvNode node = TestNodes.start(NodeCommandTest.parse("--name=hn", "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls=https://127.0.0.1:0", "--listen-peer-urls=http://127.0.0.1:0",
        "--cert-file", server.cert().toString(), "--key-file", server.key().toString(),
        "--trusted-ca-file", ca.cert().toString(), "--client-cert-auth", "--client-cert-allowed-hostname=client.vkv.test"));
    try {
      String url = node.clientUrls().get(0).toString();
      assertEquals("OK\n", etcdctl(url, ca, named, "put", "hn", "1").assertOk().out());
      assertEquals("hn\n1\n", etcdctl(url, ca, wildcard, "get", "hn").assertOk().out());
      // the CN names the host, but only SANs count
      Etcdctl.Result r = etcdctl(url, ca, other, "get", "hn");
      assertNotEquals(0, r.exitCode(), r.out());
      assertTrue(r.err().contains("Error:"), r.err());
      assertTrue(r.out().isEmpty(), r.out());
    } finally {
      TestNodes.stop(node);
    }
  }

  @Test
  void membersWithAnAllowedPeerHostnameReplicateAndThePeerPortRefusesOtherNames() throws Exception {
    TestPki.Ca ca = TestPki.ca(dir.resolve("pki"), "peer-ca");
    List<TestPki.Issued> certs = new ArrayList<>();
    for (int i = 0; i < TestCluster.SIZE; i++) certs.add(ca.issue("m" + i, "m" + i));
    TestPki.Issued elsewhere = ca.issueWithSans("elsewhere", "m9", "DNS:elsewhere.test,IP:127.0.0.1");
    try (TestCluster c = TestCluster.startWithPeerTls(dir.resolve("cluster"), i -> new TlsSettings(certs.get(i).cert(),
        certs.get(i).key(), ca.cert(), true, false, null, PeerTlsClusterTest.PROTOCOLS, List.of()).withAllowedHostname("localhost"))) {
      int leader = c.awaitOneLeader(List.of(0, 1, 2), 10_000);
      c.put(leader, "peer-hn/a", "1");
      for (int i = 0; i < TestCluster.SIZE; i++) {
        int member = i;
        Wait.until(Duration.ofSeconds(10), "m" + i + " to apply the write",
            () -> "1".equals(c.scan(member, "peer-hn/", true).get("peer-hn/a")));
      }
      String peer = "127.0.0.1:" + c.peerPort(leader);
      assertEquals(0, PeerCrlClusterTest.sClient(peer, ca, certs.get(0)).exitCode());
      Commands.Result refused = PeerCrlClusterTest.sClient(peer, ca, elsewhere);
      assertNotEquals(0, refused.exitCode(), refused.all());
    }
  }

  static Etcdctl.Result etcdctl(String url, TestPki.Ca ca, TestPki.Issued cert, String... args) {
    List<String> all = new ArrayList<>(List.of("--cacert=" + ca.cert(), "--cert=" + cert.cert(), "--key=" + cert.key(),
        "--dial-timeout=2s", "--command-timeout=2s"));
    all.addAll(List.of(args));
    return new Etcdctl(url).run(all.toArray(new String[0]));
  }
}
