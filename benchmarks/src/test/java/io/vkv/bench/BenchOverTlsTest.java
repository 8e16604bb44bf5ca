package io.vkv.bench;

import static io.vkv.bench.BenchOutput.assertUsageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.TestPki;
import io.vkv.node.tls.TlsSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * vkv-bench against a member that serves clients over TLS and requires client certificates (--client-cert-auth), as
 * compare.sh --tls runs etcd and vkv: --cacert/--cert/--key work for every kind of workload, and a missing CA, a CA
 * that did not sign the server, or no client certificate each end the run with a message that says so.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchOverTlsTest {
  @TempDir
  static Path dir;
  static TestPki.Ca ca;
  static TestPki.Issued client;
  static TestPki.Ca otherCa;
  static InProcessNode node;
  static String https;

  @BeforeAll
  static void start() throws Exception {
    ca = TestPki.ca(dir.resolve("pki"), "bench-ca");
    TestPki.Issued server = ca.issue("server", "vkv-member");
    client = ca.issue("client", "bench");
    otherCa = TestPki.ca(dir.resolve("other-pki"), "other-ca");
    node = InProcessNode.start("vkv-bench-tls", new TlsSettings(server.cert(), server.key(), ca.cert(), true, false,
        null, Set.of("TLSv1.2", "TLSv1.3"), List.of()));
    https = "https://" + node.endpoints();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  /** vkv-bench against the TLS member: {@code tlsFlags} first, then the workload and its flags. */
  private static BenchOutput.Outcome run(List<String> tlsFlags, String... workload) {
    List<String> args = new ArrayList<>(List.of("--endpoints", https));
    args.addAll(tlsFlags);
    args.addAll(List.of(workload));
    return BenchOutput.run(args.toArray(new String[0]));
  }

  private static List<String> caAndClientCert() {
    return List.of("--cacert", ca.cert().toString(), "--cert", client.cert().toString(), "--key", client.key().toString());
  }

  /** A run that must succeed: exit 0, and the JSON line's ops and errors. */
  private static Matcher ok(BenchOutput.Outcome o) {
    assertEquals(0, o.code(), o.err());
    return BenchOutput.json(o);
  }

  @Test
  void putAndRangeOverTlsCountEveryRequest() {
    Matcher put = ok(run(caAndClientCert(), "put", "--total", "300", "--clients", "8", "--conns", "2",
        "--key-space-size", "50"));
    assertEquals("put", put.group(1));
    assertEquals("300", put.group(2));
    assertEquals("0", put.group(3));
    Matcher range = ok(run(caAndClientCert(), "range", "--total", "300", "--clients", "8", "--consistency", "s"));
    assertEquals("range", range.group(1));
    assertEquals("300", range.group(2));
    assertEquals("0", range.group(3));
    // a host:port endpoint with --cacert is TLS too, as with etcdctl
    Matcher schemeless = ok(BenchOutput.run(concat(List.of("--endpoints", node.endpoints()), caAndClientCert(),
        List.of("range", "--total", "50"))));
    assertEquals("50", schemeless.group(2));
    assertEquals("0", schemeless.group(3));
  }

  @Test
  void txnWatchAndLeaseWorkloadsSpeakTlsToo() {
    Matcher txn = ok(run(caAndClientCert(), "txn-put", "--total", "50", "--clients", "4", "--txn-ops", "2",
        "--key-space-size", "100"));
    assertEquals("50", txn.group(2));
    assertEquals("0", txn.group(3));
    // the watch streams and lease streams use their own connections, not the reactive client's
    BenchOutput.Outcome watch = run(caAndClientCert(), "watch", "--watchers", "20", "--streams", "2",
        "--watched-keys", "10", "--puts", "30", "--put-clients", "2");
    assertEquals(0, watch.code(), watch.err());
    assertTrue(watch.out().contains("\"ops\":60,\"errors\":0,"), "20 watchers on 10 keys, 30 puts: 60 events: " + watch.out());
    Matcher lease = ok(run(caAndClientCert(), "lease-keepalive", "--total", "100", "--clients", "4"));
    assertEquals("lease-keepalive", lease.group(1));
    assertEquals("100", lease.group(2));
    assertEquals("0", lease.group(3));
  }

  @Test
  void insecureSkipTlsVerifyNeedsNoCa() {
    Matcher put = ok(run(List.of("--insecure-skip-tls-verify", "--cert", client.cert().toString(), "--key",
        client.key().toString()), "put", "--total", "40", "--clients", "2"));
    assertEquals("40", put.group(2));
    assertEquals("0", put.group(3));
  }

  @Test
  void withoutTheCaTheRunStopsBeforeConnecting() {
    assertUsageError("TLS needs --cacert FILE", "--endpoints", https, "put", "--total", "10");
    assertUsageError("TLS needs --cacert FILE", "--endpoints", node.endpoints(), "--cert", client.cert().toString(),
        "--key", client.key().toString(), "range", "--total", "10");
    assertUsageError("TLS needs --cacert FILE", "--endpoints", https, "watch-latency", "--puts", "5");
    assertUsageError("TLS needs --cacert FILE", "--endpoints", https, "lease-keepalive", "--total", "5");
  }

  @Test
  void aCaThatDidNotSignTheServerFailsEveryRequestAtTheHandshake() {
    BenchOutput.Outcome o = run(List.of("--cacert", otherCa.cert().toString(), "--cert", client.cert().toString(),
        "--key", client.key().toString(), "--timeout", "5s"), "put", "--total", "5", "--clients", "1");
    assertEquals(1, o.code(), o.err()); // nothing succeeded
    assertEquals("0", BenchOutput.json(o).group(2));
    assertEquals("5", BenchOutput.json(o).group(3));
    assertTrue(o.err().contains("Failed to create SSL connection: PKIX path building failed"),
        "the error names the failed certificate check: " + o.err());
  }

  @Test
  void withoutAClientCertificateTheServerRefusesTheHandshake() {
    BenchOutput.Outcome o = run(List.of("--cacert", ca.cert().toString(), "--timeout", "5s"), "put", "--total", "5");
    assertEquals(1, o.code(), o.err());
    assertEquals("0", BenchOutput.json(o).group(2));
    assertEquals("5", BenchOutput.json(o).group(3));
    assertTrue(o.err().contains("hint: the server closed every TLS connection") && o.err().contains("give --cert and --key"),
        o.err());
  }

  @Test
  void tlsFlagsAreCheckedBeforeTheRun() {
    String missing = dir.resolve("no-such-ca.crt").toString();
    assertUsageError("--cacert: no such file '" + missing + "'", "--endpoints", https, "--cacert", missing, "put");
    assertUsageError("--key: no such file", "--endpoints", https, "--cacert", ca.cert().toString(),
        "--cert", client.cert().toString(), "--key", missing, "put");
    assertUsageError("needs both --cert and --key", "--endpoints", https, "--cacert", ca.cert().toString(),
        "--cert", client.cert().toString(), "range");
    assertUsageError("is not a readable file", "--endpoints", https, "--cacert", dir.toString(), "put");
    assertUsageError("endpoint 'http://127.0.0.1:1' is http://", "--endpoints", https + ",http://127.0.0.1:1",
        "--cacert", ca.cert().toString(), "put");
    assertUsageError("endpoint 'http://127.0.0.1:1' is http://", "--endpoints", "http://127.0.0.1:1",
        "--cacert", ca.cert().toString(), "watch");
    assertUsageError("--insecure-skip-tls-verify applies to TLS only", "--endpoints", "127.0.0.1:1",
        "--insecure-skip-tls-verify", "put");
  }

  @SafeVarargs
  private static String[] concat(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> p : parts) all.addAll(p);
    return all.toArray(new String[0]);
  }
}
