package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.Wait;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd 3.5's probes on a member of three: /readyz turns 503 (linearizable read failing) when the member loses its
 * quorum, while /livez stays "ok" (the process still serves local reads); both recover with the quorum.
 */
class HealthProbesClusterTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;

  @Test
  void readyzFlipsWithQuorumLivezStaysOk() throws Exception {
    try (TestCluster cluster = TestCluster.start(dir)) {
      cluster.awaitOneLeader(List.of(0, 1, 2), 20_000);
      String base = cluster.member(0).clientUrls().get(0).toString();
      awaitAnswer(base + "/readyz", r -> r.statusCode() == 200 && r.body().equals("ok\n"), "ready with a quorum");

      cluster.stop(1);
      cluster.stop(2);
      HttpResponse<String> notReady = awaitAnswer(base + "/readyz", r -> r.statusCode() == 503, "not ready without a quorum");
      assertTrue(notReady.body().contains("[-]linearizable_read failed: etcdserver: "), notReady.body());
      assertTrue(notReady.body().contains("[+]serializable_read ok\n"), notReady.body());
      assertTrue(notReady.body().endsWith("\n\n"), notReady.body());
      HttpResponse<String> live = get(base + "/livez");
      assertEquals(200, live.statusCode());
      assertEquals("ok\n", live.body());
      // a probe that leaves the quorum out answers ready, as etcd's does
      assertEquals(200, get(base + "/readyz?exclude=linearizable_read").statusCode());

      cluster.start(1);
      awaitAnswer(base + "/readyz", r -> r.statusCode() == 200 && r.body().equals("ok\n"), "ready again with a quorum");
    }
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> awaitAnswer(String url, Predicate<HttpResponse<String>> wanted, String what) {
    return Wait.until(Duration.ofSeconds(40), what + " from " + url, () -> get(url), wanted);
  }

}
