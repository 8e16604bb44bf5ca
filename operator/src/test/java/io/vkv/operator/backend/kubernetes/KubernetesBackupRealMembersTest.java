package io.vkv.operator.backend.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vkv.node.testing.Wait;
import io.vkv.operator.controller.Controller;
import io.vkv.operator.reconcile.Action;
import io.vkv.operator.spec.ClusterStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups and a restore through the Kubernetes backend with real members ({@link LocalKubelet} runs the Pods, and
 * their restore init container, as local processes): the operator streams snapshots into the backup claim (a
 * directory standing for the claim mounted into the operator's Pod), verifies them with {@code vkv snapshot status},
 * prunes to {@code maxBackups}; a new VkvCluster restored from the newest one gets the data in its first member's Pod
 * and a second member joins it as a learner. Still the mock API server: no real volume, mount or image.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesBackupRealMembersTest {
  private static final Path VKV_JAR = Path.of(System.getProperty("vkv.jar", "../node/target/vkv.jar")).toAbsolutePath();
  private static final Duration STEP = Duration.ofSeconds(180);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  KubernetesClient client;
  @TempDir Path dir;
  private Path mounts;
  private LocalKubelet kubelet;
  /** One connection per cluster: the admin maps the members' loopback URLs back to that cluster's DNS names. */
  private final Map<String, LoopbackAdmin> admins = new HashMap<>();
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final List<Action> acted = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    MockApi.installCrd(client);
    mounts = dir.resolve("operator-mounts");
    Files.createDirectories(mounts.resolve("vkv-backups")); // the claim as the operator's Pod has it mounted
    kubelet = new LocalKubelet(client, VKV_JAR, dir.resolve("volumes"), mounts);
  }

  @AfterEach
  void tearDown() {
    kubelet.close();
    admins.values().forEach(LoopbackAdmin::close);
  }

  @Test
  void backupsAreWrittenToTheClaimVerifiedAndPrunedAndANewClusterIsRestoredFromOne() throws Exception {
    MockApi.create(client, MockApi.cluster("demo", 1, "  member: {heartbeatInterval: 50, electionTimeout: 500}\n"
        + "  backup: {volumeClaim: vkv-backups, directory: clusters/demo, interval: 1s, maxBackups: 2}\n"));
    Path backupDir = mounts.resolve("vkv-backups/clusters/demo");
    Wait.until(STEP, () -> "demo running; log:\n" + logBytes, () -> pass("demo") && running("demo"));
    put("demo", "demo-1", "before-backup", "kept");

    // backups every second, two kept: wait for a prune after a backup taken once the key was there
    acted.clear();
    Wait.until(STEP, () -> "three backups and a prune; acted " + acted + "; log:\n" + logBytes, () -> {
      pass("demo");
      return acted.stream().filter(a -> a instanceof Action.Backup).count() >= 3 && acted.stream().anyMatch(a -> a instanceof Action.Prune);
    });
    Wait.until(STEP, () -> "pruned to 2: " + java.util.Arrays.toString(backupDir.toFile().list()), () -> pass("demo") && files(backupDir).size() == 2);
    List<String> kept = files(backupDir);
    for (String f : kept) assertTrue(f.matches("demo-\\d{8}T\\d{9}Z-r\\d+\\.db"), f);
    ClusterStatus status = resource("demo").getStatus();
    assertTrue(kept.contains(status.lastBackup()), status.lastBackup() + " in " + kept);
    String newest = kept.get(kept.size() - 1);
    // one cluster per operator pass from here on (the test's admin speaks for one cluster): demo goes, as
    // Kubernetes' garbage collector would take its Pods
    client.resources(VkvClusterResource.class).withName("demo").delete();
    client.pods().withLabel(Labels.CLUSTER, "demo").delete();

    MockApi.create(client, MockApi.cluster("copy", 2, "  member: {heartbeatInterval: 50, electionTimeout: 500}\n"
        + "  backup: {volumeClaim: vkv-backups, directory: clusters/demo}\n  restore: {backupName: " + newest + "}\n"));
    Wait.until(STEP, () -> "copy running with 2 members; log:\n" + logBytes, () -> pass("copy") && running("copy")
        && resource("copy").getStatus().members().size() == 2);
    Pod first = client.pods().withName("copy-1").get();
    assertEquals(List.of("restore"), first.getSpec().getInitContainers().stream().map(Container::getName).toList());
    assertTrue(client.pods().withName("copy-2").get().getSpec().getInitContainers().isEmpty(), "the joining member is not restored");
    assertEquals("kept", get("copy", "copy-1", "before-backup"));
    assertEquals("kept", get("copy", "copy-2", "before-backup"), "the learner received the restored data");
    assertTrue(Files.readString(kubelet.log("copy-1")).contains("restore"), "the init container ran");
  }

  /** A kubelet round, then one pass on a new operator for that cluster; true when it went through. */
  private boolean pass(String cluster) throws IOException {
    kubelet.sync();
    LoopbackAdmin admin = admins.computeIfAbsent(cluster, c -> new LoopbackAdmin(kubelet, c, client.getNamespace()));
    Controller.Pass p = new KubernetesOperator(client, client.getNamespace(), new MemberImages("registry.example/vkv:0.1.0"),
        new BackupMounts(mounts, VKV_JAR), admin, Clock.systemUTC(), new PrintStream(logBytes, true)).passAll().get(cluster);
    if (p == null) return false;
    if (!(p.action() instanceof Action.Idle || p.action() instanceof Action.Wait) && p.error() == null) acted.add(p.action());
    return p.error() == null;
  }

  private boolean running(String cluster) {
    ClusterStatus s = resource(cluster).getStatus();
    return s != null && "Running".equals(s.phase());
  }

  private VkvClusterResource resource(String name) {
    return client.resources(VkvClusterResource.class).withName(name).get();
  }

  private static List<String> files(Path backupDir) throws IOException {
    if (!Files.isDirectory(backupDir)) return List.of();
    try (Stream<Path> s = Files.list(backupDir)) {
      return s.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  private void put(String cluster, String member, String key, String value) throws Exception {
    String body = "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"}";
    Wait.untilReturns(Duration.ofSeconds(30), "put through " + member, () -> post(cluster, member, "/v3/kv/put", body));
  }

  private String get(String cluster, String member, String key) throws Exception {
    String answer = Wait.untilReturns(Duration.ofSeconds(30), "range on " + member, () -> post(cluster, member, "/v3/kv/range",
        "{\"key\":\"" + b64(key) + "\"}"));
    int at = answer.indexOf("\"value\":\"");
    if (at < 0) return null;
    String v = answer.substring(at + 9, answer.indexOf('"', at + 9));
    return new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
  }

  private String post(String cluster, String member, String path, String body) throws Exception {
    String url = kubelet.loopback(new MemberAddresses(cluster, client.getNamespace()).clientUrl(member)) + path;
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IOException(url + ": " + r.statusCode() + " " + r.body());
    return r.body();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
