package io.vkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vkv.node.NodeConfig;
import io.vkv.node.testing.TestPki;
import io.vkv.node.tls.TlsSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a member that serves TLS and requires client certificates (--client-cert-auth); with
 * setInsecureSkipTlsVerify it needs no CA, without it the JVM's CAs do not vouch for the test CA.
 */
class ClientTlsTest {
  @TempDir
  Path dir;

  @Test
  void mtlsWithTheCaAndAClientCertificateAndRefusedWithout() throws Exception {
    TestPki.Ca ca = TestPki.ca(dir.resolve("pki"), "ca");
    TestPki.Issued server = ca.issue("server", "server");
    TestPki.Issued client = ca.issue("client", "client");
    TestPki.Issued stranger = TestPki.ca(dir.resolve("other"), "other").issue("stranger", "client");
    URI https = URI.create("https://127.0.0.1:0");
    TlsSettings tls = new TlsSettings(server.cert(), server.key(), ca.cert(), true, false, null,
        Set.of("TLSv1.2", "TLSv1.3"), List.of());
    Vertx vertx = Vertx.vertx();
    try (NodeFixture node = new NodeFixture(false, c -> c.toBuilder().listenClientUrls(List.of(https))
        .advertiseClientUrls(List.of(https)).clientTls(tls).build())) {
      String endpoint = "https://" + node.endpoint();
      VkvClient ok = VkvClient.create(vertx, new VkvClientOptions().addEndpoint(endpoint).setTrustedCaFile(ca.cert())
          .setCertFile(client.cert()).setKeyFile(client.key()));
      Await.result(ok.kv().put("tls", "yes"));
      assertEquals("yes", Await.result(ok.kv().get("tls")).getKvs(0).getValue().toStringUtf8());
      Await.result(ok.close());

      // no CA: the server's certificate is accepted unchecked (etcdctl's --insecure-skip-tls-verify)
      VkvClient insecure = VkvClient.create(vertx, new VkvClientOptions().addEndpoint(endpoint)
          .setInsecureSkipTlsVerify(true).setCertFile(client.cert()).setKeyFile(client.key()));
      assertEquals("yes", Await.result(insecure.kv().get("tls")).getKvs(0).getValue().toStringUtf8());
      Await.result(insecure.close());
      VkvClientOptions unverified = new VkvClientOptions().addEndpoint(endpoint).setCertFile(client.cert())
          .setKeyFile(client.key()).setCallTimeout(Duration.ofSeconds(1)).setMaxAttempts(1);
      VkvClient checked = VkvClient.create(vertx, unverified); // the JVM's CAs do not know this test CA
      assertTrue(Await.failure(checked.kv().get("tls")).getMessage() != null);
      Await.result(checked.close());

      for (TestPki.Issued wrong : new TestPki.Issued[] {null, stranger}) {
        VkvClientOptions o = new VkvClientOptions().addEndpoint(endpoint).setTrustedCaFile(ca.cert())
            .setCallTimeout(Duration.ofSeconds(1)).setMaxAttempts(1);
        if (wrong != null) o.setCertFile(wrong.cert()).setKeyFile(wrong.key());
        VkvClient refused = VkvClient.create(vertx, o);
        VkvException e = Await.failure(refused.kv().get("tls"));
        assertTrue(e.getMessage() != null, String.valueOf(e));
        Await.result(refused.close());
      }
      assertTrue(assertThrows(IllegalArgumentException.class, () -> VkvClient.create(vertx,
          new VkvClientOptions().addEndpoint("http://" + node.endpoint()).setTrustedCaFile(ca.cert())))
          .getMessage().contains("use https://"));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
