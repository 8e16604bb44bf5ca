package io.vkv.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.NodeConfig;
import io.vkv.node.VkvNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etcd's plain HTTP endpoints on the client port, next to gRPC: /health, /livez, /readyz, /version, /metrics. */
class HttpEndpointsTest {
  @TempDir static Path dir;
  static VkvNode node;
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    node = VkvNode.start(NodeConfig.singleMember(dir.resolve("data"), 0, 0)).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(node.clientUrls().get(0) + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthIsTrueWithALeader() throws Exception {
    HttpResponse<String> r = get("/health");
    assertEquals(200, r.statusCode());
    assertEquals("{\"health\":\"true\"}", r.body());
  }

  @Test
  void metricsUseEtcdNamesAndFollowWrites() throws Exception {
    long before = counter(get("/metrics").body(), "etcd_disk_wal_fsync_duration_seconds_count");
    TestPuts.put(node, "m", "1");
    String body = get("/metrics").body();
    assertTrue(counter(body, "etcd_disk_wal_fsync_duration_seconds_count") > before, "a put forces the WAL at least once");
    assertTrue(body.contains("etcd_disk_wal_fsync_duration_seconds_bucket{le=\"0.001\"}"), body);
    assertEquals(1, counter(body, "etcd_server_has_leader"));
    assertEquals(1, counter(body, "etcd_server_is_leader"));
    assertTrue(counter(body, "etcd_debugging_mvcc_current_revision") >= 2, body);
    long authRevision = counter(body, "etcd_debugging_auth_revision");
    TestPuts.addRole(node, "metrics-test");
    assertEquals(authRevision + 1, counter(get("/metrics").body(), "etcd_debugging_auth_revision"));
    assertTrue(counter(body, "etcd_mvcc_db_total_size_in_bytes") > 0, body);
    assertTrue(counter(body, "etcd_server_proposals_applied_total") > 0, body);
    assertEquals(0, counter(body, "etcd_debugging_mvcc_watcher_total"));
  }

  /**
   * The process figures etcd's dashboards chart, under the Prometheus process collector's names, and the JVM's heap
   * (what an operator sizes VKV_HEAP by): each must agree with what the JVM and /proc say about this test's JVM.
   */
  @Test
  void processAndJvmMemoryFigures() throws Exception {
    String body = get("/metrics").body();
    double rss = value(body, "process_resident_memory_bytes");
    double procRss = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst()
        .orElseThrow() * 1024.0;
    assertTrue(rss > procRss / 2 && rss < procRss * 2, "resident memory " + rss + " B, /proc says " + procRss + " B");
    assertTrue(value(body, "process_cpu_seconds_total") > 0, body);
    assertTrue(value(body, "process_open_fds") > 10, body);
    double started = value(body, "process_start_time_seconds");
    assertEquals(java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0, started, 0.001);
    assertTrue(body.contains("jvm_memory_used_bytes{area=\"heap\""), body);
    assertTrue(body.contains("jvm_memory_max_bytes{area=\"heap\""), body);
  }

  /** The first sample of {@code name} (with or without labels) as a double. */
  private static double value(String body, String name) {
    for (String line : body.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError(name + " not in /metrics:\n" + body);
  }

  /** Every stage of the write path is timed: one put adds a sample to each (one member: no peer round trip). */
  @Test
  void writePathStagesFollowAPut() throws Exception {
    String[] stages = {"vkv_raft_intake_wait_seconds", "vkv_raft_persist_duration_seconds",
        "vkv_raft_commit_duration_seconds", "vkv_apply_wait_seconds", "vkv_apply_duration_seconds",
        "vkv_reply_wait_seconds", "vkv_raft_ready_entries"};
    String before = get("/metrics").body();
    TestPuts.put(node, "stages", "1");
    String after = get("/metrics").body();
    for (String stage : stages) {
      long was = before.contains(stage + "_count ") ? counter(before, stage + "_count") : 0;
      assertTrue(counter(after, stage + "_count") > was, stage + " did not move with a put:\n" + after);
    }
  }

  /** A linearizable read is timed from the Raft loop taking it until it may read the store. */
  @Test
  void aLinearizableReadIsTimed() throws Exception {
    String stage = "vkv_read_index_wait_seconds_count";
    String before = get("/metrics").body();
    long was = before.contains(stage + " ") ? counter(before, stage) : 0;
    TestPuts.get(node, "stages");
    assertTrue(counter(get("/metrics").body(), stage) > was, stage + " did not move with a linearizable read");
  }

  @Test
  void unknownPathIs404() throws Exception {
    assertEquals(404, get("/nope").statusCode());
    assertEquals(404, get("/readyz/nope").statusCode()); // etcd serves only the checks it has
  }

  /** etcd 3.5's probes: "ok", the check lines with ?verbose, exclusions on the root path, one check at its sub path. */
  @Test
  void livezAndReadyzAnswerAsEtcd35() throws Exception {
    HttpResponse<String> live = get("/livez");
    assertEquals(200, live.statusCode());
    assertEquals("ok\n", live.body());
    assertEquals("text/plain; charset=utf-8", live.headers().firstValue("content-type").orElseThrow());
    assertEquals("nosniff", live.headers().firstValue("x-content-type-options").orElseThrow());
    assertEquals("[+]serializable_read ok\nok\n", get("/livez?verbose").body());
    assertEquals("ok\n", get("/readyz").body());
    assertEquals("[+]data_corruption ok\n[+]serializable_read ok\n[+]linearizable_read ok\n[+]non_learner ok\nok\n",
        get("/readyz?verbose").body());
    assertEquals("[+]data_corruption ok\n[+]non_learner ok\nok\n",
        get("/readyz?verbose&exclude=serializable_read&exclude=linearizable_read&exclude=no_such_check").body());
    assertEquals("ok\n", get("/readyz/linearizable_read").body());
    assertEquals("[+]linearizable_read ok\nok\n", get("/readyz/linearizable_read?verbose").body());
  }

  @Test
  void probesAreGetOnly() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.clientUrls().get(0) + "/readyz"))
        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, r.statusCode());
    assertEquals("GET", r.headers().firstValue("allow").orElseThrow());
    assertEquals("Method Not Allowed\n", r.body());
  }

  /** etcd 3.4 answers {"etcdserver":"3.4.23","etcdcluster":"3.4.0"}: vkv reports the etcd version it implements. */
  @Test
  void versionIsEtcdsShape() throws Exception {
    HttpResponse<String> r = get("/version");
    assertEquals(200, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
    assertEquals("{\"etcdserver\":\"3.4.0\",\"etcdcluster\":\"3.4.0\"}", r.body());
  }

  /** The value of an unlabelled sample. */
  private static long counter(String exposition, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+)$").matcher(exposition);
    assertTrue(m.find(), name + " missing from\n" + exposition);
    return (long) Double.parseDouble(m.group(1));
  }
}
