package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vkv.node.testing.RealEtcd;
import io.vkv.node.testing.TestPki;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's rule with --client-cert-auth and auth on: a call without a token runs as the user named by the CN of the
 * client certificate. The same etcdctl session runs against etcd 3.4 and vkv, both started with client mTLS, and
 * must print the same.
 */
class CertIdentityTest {
  @TempDir
  Path dir;

  record Step(String cert, String[] args) {}

  static Step as(String cert, String... args) {
    return new Step(cert, args);
  }

  /** Certificates by CN: root administers; reader holds a read-only role on app/; nobody is no user at all. */
  static final List<Step> SESSION = List.of(
      as("root", "user", "add", "root", "--new-user-password=rootpw"),
      as("root", "role", "add", "ro"),
      as("root", "role", "grant-permission", "ro", "read", "--prefix", "app/"),
      as("root", "user", "add", "reader", "--new-user-password=readerpw"),
      as("root", "user", "grant-role", "reader", "ro"),
      as("root", "put", "app/config", "v1"),
      as("root", "auth", "enable"),
      // no --user: the certificate's CN is the user
      as("root", "put", "app/config", "v2"),
      as("reader", "get", "app/config"),
      as("reader", "put", "app/config", "v3"),
      as("reader", "get", "other"),
      as("nobody", "get", "app/config"),
      // a token wins over the certificate
      as("reader", "--user=root:rootpw", "put", "app/config", "v4"),
      as("reader", "get", "app/config"),
      as("root", "--user=reader:readerpw", "put", "app/config", "v5"),
      as("root", "user", "list"));

  @Test
  void theClientCertificatesCnIsTheUserAsInEtcd() throws Exception {
    TestPki.Ca ca = TestPki.ca(dir.resolve("pki"), "ca");
    TestPki.Issued server = ca.issue("server", "server");
    java.util.Map<String, TestPki.Issued> certs = new java.util.HashMap<>();
    for (String cn : List.of("root", "reader", "nobody")) certs.put(cn, ca.issue(cn, cn));

    java.nio.file.Files.createDirectories(dir.resolve("etcd"));
    // etcd's session runs meanwhile vkv's: they are independent servers
    java.util.concurrent.CompletableFuture<List<String>> etcdSession = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try (RealEtcd etcd = RealEtcd.startWithClientMtls(dir.resolve("etcd"), server.cert(), server.key(), ca.cert(),
          "--bcrypt-cost=4")) {
        return session(etcd.endpoint(), ca, certs);
      }
    });
    VkvNode node = TestNodes.start(NodeCommandTest.parse("--name=cn", "--data-dir", dir.resolve("vkv").toString(),
        "--listen-client-urls=https://127.0.0.1:0", "--listen-peer-urls=http://127.0.0.1:0",
        "--cert-file", server.cert().toString(), "--key-file", server.key().toString(),
        "--trusted-ca-file", ca.cert().toString(), "--client-cert-auth", "--bcrypt-cost=4"));
    List<String> vkvSaw;
    try {
      vkvSaw = session(node.clientUrls().get(0).toString(), ca, certs);
    } finally {
      TestNodes.stop(node);
    }
    List<String> etcdSaw = etcdSession.get(120, java.util.concurrent.TimeUnit.SECONDS);
    // what etcd printed pins the expectations: reader reads, cannot write, nobody is refused
    assertEquals("app/config\nv2\n[exit 0]", etcdSaw.get(8).split(" => ", 2)[1]);
    assertEquals("Error: etcdserver: permission denied\n[exit 1]", etcdSaw.get(9).split(" => ", 2)[1]);
    assertEquals(String.join("\n", etcdSaw), String.join("\n", vkvSaw));
  }

  private static List<String> session(String url, TestPki.Ca ca, java.util.Map<String, TestPki.Issued> certs) {
    List<String> out = new ArrayList<>();
    for (Step s : SESSION) {
      TestPki.Issued c = certs.get(s.cert());
      List<String> args = new ArrayList<>(List.of("--cacert=" + ca.cert(), "--cert=" + c.cert(), "--key=" + c.key(),
          "--command-timeout=5s"));
      args.addAll(List.of(s.args()));
      Etcdctl.Result r = new Etcdctl(url).run(args.toArray(new String[0]));
      String errors = r.err().lines().filter(l -> l.startsWith("Error:")).map(l -> l + "\n").collect(Collectors.joining());
      out.add(s.cert() + " " + String.join(" ", s.args()) + " => " + r.out() + errors + "[exit " + r.exitCode() + "]");
    }
    return out;
  }
}
