package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vkv.node.testing.Commands;
import io.vkv.node.testing.Ports;
import io.vkv.node.testing.TestPki;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer port's client SAN check (etcd's default) and --experimental-peer-skip-client-san-verification: a member's
 * client certificate that names hosts must name the address it connects from; with the flag, any certificate the
 * CA signed will do.
 */
class PeerClientSanTest {
  @TempDir
  Path dir;

  @Test
  void aClientCertificateNamingAnotherAddressIsRefusedUnlessTheCheckIsSkipped() {
    TestPki.Ca ca = TestPki.ca(dir.resolve("pki"), "peer-ca");
    TestPki.Issued member = ca.issue("member", "member");
    TestPki.Issued loopbackIp = ca.issueWithSans("loopback-ip", "a", "IP:127.0.0.1");
    TestPki.Issued loopbackName = ca.issueWithSans("loopback-name", "b", "DNS:localhost");
    TestPki.Issued noSans = ca.issueWithSans("no-sans", "c", "");
    TestPki.Issued elsewhere = ca.issueWithSans("elsewhere", "d", "IP:10.11.12.13");

    int checked = Ports.freePort();
    VkvNode node = TestNodes.start(NodeCommandTest.parse(args("checked", checked, member, ca)));
    try {
      String peer = "127.0.0.1:" + checked;
      assertEquals(0, PeerCrlClusterTest.sClient(peer, ca, loopbackIp).exitCode(), "IP SAN of the connection");
      assertEquals(0, PeerCrlClusterTest.sClient(peer, ca, loopbackName).exitCode(), "a DNS SAN resolving to it");
      assertEquals(0, PeerCrlClusterTest.sClient(peer, ca, noSans).exitCode(), "no SAN names a host");
      Commands.Result refused = PeerCrlClusterTest.sClient(peer, ca, elsewhere);
      assertNotEquals(0, refused.exitCode(), refused.all());
    } finally {
      TestNodes.stop(node);
    }

    int skipping = Ports.freePort();
    List<String> skip = new ArrayList<>(List.of(args("skipping", skipping, member, ca)));
    skip.add("--experimental-peer-skip-client-san-verification");
    node = TestNodes.start(NodeCommandTest.parse(skip.toArray(new String[0])));
    try {
      Commands.Result accepted = PeerCrlClusterTest.sClient("127.0.0.1:" + skipping, ca, elsewhere);
      assertEquals(0, accepted.exitCode(), accepted.all());
    } finally {
      TestNodes.stop(node);
    }
  }

  private String[] args(String name, int peerPort, TestPki.Issued cert, TestPki.Ca ca) {
    return new String[] {"--name=" + name, "--data-dir", dir.resolve(name).toString(),
        "--listen-client-urls=http://127.0.0.1:0", "--listen-peer-urls=https://127.0.0.1:" + peerPort,
        "--peer-cert-file", cert.cert().toString(), "--peer-key-file", cert.key().toString(),
        "--peer-trusted-ca-file", ca.cert().toString(), "--peer-client-cert-auth"};
  }
}
