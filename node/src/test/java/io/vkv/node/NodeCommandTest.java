package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.corruption.CorruptCheckSettings;
import io.vkv.node.raft.LogRetention;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class NodeCommandTest {
  @TempDir Path dir;

  static NodeConfig parse(String... args) {
    NodeCommand cmd = new NodeCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd.call();
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void defaultsAreEtcds() {
    NodeConfig c = parse();
    assertEquals("default", c.name());
    assertEquals(Path.of("default.vkv"), c.dataDir());
    assertEquals(List.of(URI.create("http://127.0.0.1:2379")), c.listenClientUrls());
    assertEquals(List.of(URI.create("http://127.0.0.1:2379")), c.advertiseClientUrls());
    assertEquals(List.of(URI.create("http://127.0.0.1:2380")), c.listenPeerUrls());
    assertEquals(List.of(URI.create("http://127.0.0.1:2380")), c.initialCluster().get("default"));
    assertEquals(100, c.heartbeatIntervalMs());
    assertEquals(1000, c.electionTimeoutMs());
    assertEquals(1536 * 1024, c.maxRequestBytes());
    assertEquals(128, c.maxTxnOps());
    assertEquals(2L << 30, c.quotaBackendBytes());
    assertEquals("new", c.initialClusterState());
    assertEquals("etcd-cluster", c.initialClusterToken());
  }

  @Test
  void etcdStyleFlagsAreAccepted() {
    NodeConfig c = parse("--name=infra1", "--data-dir", "/tmp/x", "--listen-client-urls=http://127.0.0.1:12379",
        "--initial-cluster", "infra1=http://127.0.0.1:12380,infra2=http://127.0.0.1:22380",
        "--listen-peer-urls=http://127.0.0.1:12380", "--heartbeat-interval=50", "--election-timeout=500",
        "--max-txn-ops=64", "--initial-cluster-token=tok", "--log-level=warn");
    assertEquals("infra1", c.name());
    assertEquals(2, c.initialCluster().size());
    assertEquals(50, c.heartbeatIntervalMs());
    assertEquals(64, c.maxTxnOps());
    assertEquals("tok", c.initialClusterToken());
  }

  @Test
  void unknownFlagIsAUsageErrorWithExitCode2() {
    Run r = run("--no-such-flag");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Unknown option: '--no-such-flag'"), r.err());
  }

  @Test
  void malformedValuesAreUsageErrors() {
    assertEquals(2, run("--heartbeat-interval=abc").code());
    Run url = run("--listen-client-urls=127.0.0.1:2379");
    assertEquals(2, url.code());
    assertTrue(url.err().contains("--listen-client-urls"), url.err());
    Run timeout = run("--heartbeat-interval=100", "--election-timeout=200");
    assertEquals(2, timeout.code());
    assertTrue(timeout.err().contains("--election-timeout"), timeout.err());
    Run cluster = run("--name=a", "--initial-cluster=b=http://127.0.0.1:2380");
    assertEquals(2, cluster.code());
    assertTrue(cluster.err().contains("no member named 'a'"), cluster.err());
    assertEquals(2, run("--initial-cluster-state=maybe").code());
    assertEquals(2, run("--log-level=loud").code());
  }

  @Test
  void authFlagsTakeEtcdsDefaultsAndRefuseBadValues() {
    NodeConfig c = parse();
    assertEquals(300, c.auth().tokenTtlSeconds());
    assertEquals(10, c.auth().bcryptCost());
    NodeConfig set = parse("--auth-token=simple", "--auth-token-ttl=60", "--bcrypt-cost=4");
    assertEquals(60, set.auth().tokenTtlSeconds());
    assertEquals(4, set.auth().bcryptCost());
    // jwt is built (JwtAuthTest): a bad option is a usage error, a key file that is not there stops the start
    Run jwt = run("--auth-token=jwt,sign-method=RS256");
    assertEquals(2, jwt.code());
    assertTrue(jwt.err().contains("--auth-token jwt: pub-key is required"), jwt.err());
    Run unknown = run("--auth-token=bogus");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("--auth-token 'bogus' is not supported"), unknown.err());
    Run missingKey = run("--data-dir=" + dir.resolve("jwt"), "--auth-token=jwt,pub-key=" + dir.resolve("a.pub")
        + ",priv-key=" + dir.resolve("a.key") + ",sign-method=RS256");
    assertEquals(1, missingKey.code());
    assertTrue(missingKey.err().contains("a.key: no such file"), missingKey.err());
    Run cost = run("--bcrypt-cost=3");
    assertEquals(2, cost.code());
    assertTrue(cost.err().contains("--bcrypt-cost must be between 4 and 31"), cost.err());
    assertEquals(2, run("--auth-token-ttl=0").code());
  }

  @Test
  void logRetentionFlagsTakeEtcdsNamesAndRefuseNonPositiveValues() {
    assertEquals(LogRetention.DEFAULT, parse().logRetention());
    NodeConfig set = parse("--snapshot-count=1000", "--experimental-snapshot-catchup-entries=200");
    assertEquals(new LogRetention(1_000, 200), set.logRetention());
    assertEquals(300, parse("--snapshot-catchup-entries=300").logRetention().catchUpEntries()); // etcd 3.6's name
    Run count = run("--snapshot-count=0");
    assertEquals(2, count.code());
    assertTrue(count.err().contains("--snapshot-count must be > 0"), count.err());
    Run catchUp = run("--experimental-snapshot-catchup-entries=-1");
    assertEquals(2, catchUp.code());
    assertTrue(catchUp.err().contains("--experimental-snapshot-catchup-entries must be > 0"), catchUp.err());
    assertEquals(2, run("--snapshot-count=lots").code());
  }

  @Test
  void crlHostnameAndSanFlagsTakeEtcdsNamesAndABadCrlFileStopsTheStart() {
    NodeConfig none = parse();
    assertNull(none.clientTls().crlFile());
    assertNull(none.clientTls().allowedHostname());
    assertNull(none.peerTls().crlFile());
    assertNull(none.peerTls().allowedHostname());
    assertFalse(none.peerTls().skipClientSanVerify());
    NodeConfig set = parse("--client-crl-file=/x/clients.crl", "--client-cert-allowed-hostname=app.example",
        "--peer-crl-file=/x/peers.crl", "--peer-cert-allowed-hostname=member.example",
        "--experimental-peer-skip-client-san-verification");
    assertEquals(Path.of("/x/clients.crl"), set.clientTls().crlFile());
    assertEquals("app.example", set.clientTls().allowedHostname());
    assertEquals(Path.of("/x/peers.crl"), set.peerTls().crlFile());
    assertEquals("member.example", set.peerTls().allowedHostname());
    assertTrue(set.peerTls().skipClientSanVerify());
    assertTrue(parse("--peer-skip-client-san-verification=true").peerTls().skipClientSanVerify()); // etcd 3.6's name
    assertFalse(parse("--experimental-peer-skip-client-san-verification=false").peerTls().skipClientSanVerify());

    io.vkv.node.testing.TestPki.Ca ca = io.vkv.node.testing.TestPki.ca(dir.resolve("pki"), "ca");
    io.vkv.node.testing.TestPki.Issued server = ca.issue("server", "server");
    Path missing = dir.resolve("missing.crl");
    Run client = run("--data-dir=" + dir.resolve("client-crl"), "--listen-client-urls=https://127.0.0.1:0",
        "--listen-peer-urls=http://127.0.0.1:0", "--cert-file=" + server.cert(), "--key-file=" + server.key(),
        "--trusted-ca-file=" + ca.cert(), "--client-cert-auth", "--client-crl-file=" + missing);
    assertEquals(1, client.code());
    assertTrue(client.err().contains("--client-crl-file " + missing + ": no such file"), client.err());
    Path malformed = dir.resolve("malformed.crl");
    try {
      java.nio.file.Files.writeString(malformed, "not a CRL\n");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    Run peer = run("--data-dir=" + dir.resolve("peer-crl"), "--listen-client-urls=http://127.0.0.1:0",
        "--listen-peer-urls=https://127.0.0.1:0", "--peer-cert-file=" + server.cert(), "--peer-key-file=" + server.key(),
        "--peer-trusted-ca-file=" + ca.cert(), "--peer-client-cert-auth", "--peer-crl-file=" + malformed);
    assertEquals(1, peer.code());
    assertTrue(peer.err().contains("--peer-crl-file " + malformed + ": "), peer.err());
  }

  @Test
  void corruptCheckFlagsTakeEtcdsNamesAndDefaults() {
    assertEquals(new CorruptCheckSettings(false, 0), parse().corruptCheck());
    assertEquals(new CorruptCheckSettings(true, 0), parse("--experimental-initial-corrupt-check").corruptCheck());
    assertEquals(new CorruptCheckSettings(false, 300_000),
        parse("--experimental-initial-corrupt-check=false", "--experimental-corrupt-check-time=5m").corruptCheck());
    assertEquals(1_500, parse("--experimental-corrupt-check-time=1500ms").corruptCheck().intervalMs());
    Run bad = run("--experimental-corrupt-check-time=soon");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("invalid duration 'soon'"), bad.err());
    assertEquals(2, run("--experimental-corrupt-check-time=-1s").code());
    assertEquals(2, run("--experimental-initial-corrupt-check=maybe").code());
  }

  @Test
  void helpAndVersionExitZero() {
    Run help = run("--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("--listen-client-urls"));
    Run version = run("--version");
    assertEquals(0, version.code());
    assertTrue(version.out().contains("vkv Version: "));
  }
}
