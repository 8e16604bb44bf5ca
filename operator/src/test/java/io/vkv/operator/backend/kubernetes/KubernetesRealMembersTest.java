package io.vkv.operator.backend.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vkv.node.testing.Wait;
import io.vkv.operator.controller.Controller;
import io.vkv.operator.reconcile.Action;
import io.vkv.operator.spec.ClusterSpec;
import io.vkv.operator.spec.ClusterStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes backend with real members: the controller creates Pods in fabric8's mock API server and
 * {@link LocalKubelet} runs each as a vkv process with the Pod's own arguments (DNS names mapped to loopback), so the
 * membership calls, the join flags and the restart of a member on its claim's data are answered by vkv itself.
 * Still not a real Kubernetes: no image, no scheduler, no probes, no real DNS.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesRealMembersTest {
  private static final Path VKV_JAR = Path.of(System.getProperty("vkv.jar", "../node/target/vkv.jar")).toAbsolutePath();
  private static final String IMAGE_B = "registry.example/vkv:0.2.0";
  private static final Duration STEP = Duration.ofSeconds(180);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  KubernetesClient client;
  @TempDir Path dir;
  private LocalKubelet kubelet;
  private LoopbackAdmin admin;
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final List<Action> acted = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    MockApi.installCrd(client);
    kubelet = new LocalKubelet(client, VKV_JAR, dir.resolve("volumes"));
    admin = new LoopbackAdmin(kubelet, "demo", client.getNamespace());
  }

  @AfterEach
  void tearDown() {
    kubelet.close();
    admin.close();
  }

  @Test
  void createsThreeRealMembersUpgradesEachPodOnItsOwnDataThenShrinksToTwo() throws Exception {
    MockApi.create(client, MockApi.cluster("demo", 3, "  member: {heartbeatInterval: 50, electionTimeout: 500}\n  heal: {unhealthyAfter: 120s}\n"));
    converge();
    ClusterStatus status = resource().getStatus();
    assertEquals(List.of("demo-1", "demo-2", "demo-3"), status.members().stream().map(ClusterStatus.MemberStatus::name).toList());
    assertTrue(status.members().stream().allMatch(m -> m.healthy() && !m.learner()), status.members().toString());
    assertNotNull(status.currentVersion(), "the members report their version");
    assertEquals(Map.of("Available", "True", "Ready", "True"), conditions(status));
    put("demo-1", "before-upgrade", "kept");

    Map<String, String> uidsBefore = podUids();
    String leaderBefore = status.leader();
    acted.clear();
    client.resources(VkvClusterResource.class).withName("demo").edit(r -> {
      ClusterSpec s = r.getSpec();
      r.setSpec(new ClusterSpec(s.size(), IMAGE_B, s.storage(), s.member(), s.heal(), null, null, null, null));
      return r;
    });
    converge();
    List<String> steps = acted.stream().map(a -> a instanceof Action.MoveLeader ? "move leader"
        : a.describe().replaceAll("( \\(|: | from ).*", "")).toList();
    List<String> upgrades = steps.stream().filter(s -> s.startsWith("upgrade ")).toList();
    assertEquals(3, upgrades.size(), steps.toString());
    assertEquals("upgrade " + leaderBefore, upgrades.get(2), "the leader last: " + steps);
    assertTrue(steps.indexOf("move leader") >= 0 && steps.indexOf("move leader") < steps.indexOf(upgrades.get(2)), steps.toString());
    for (Pod p : client.pods().list().getItems()) {
      assertEquals(IMAGE_B, p.getSpec().getContainers().get(0).getImage());
      assertNotEquals(uidsBefore.get(p.getMetadata().getName()), p.getMetadata().getUid(), "a new Pod for " + p.getMetadata().getName());
    }
    assertEquals(uidsBefore.keySet(), podUids().keySet(), "the same members, restarted on their claims");
    for (String member : List.of("demo-1", "demo-2", "demo-3")) assertEquals("kept", get(member, "before-upgrade"), member);
    assertEquals("Running", resource().getStatus().phase());

    acted.clear();
    client.resources(VkvClusterResource.class).withName("demo").edit(r -> {
      ClusterSpec s = r.getSpec();
      r.setSpec(new ClusterSpec(2, s.version(), s.storage(), s.member(), s.heal(), null, null, null, null));
      return r;
    });
    converge();
    List<String> shrink = acted.stream().map(a -> a.describe().replaceAll("( \\(|: | -> ).*", "")).toList();
    assertTrue(shrink.contains("remove demo-3") && shrink.contains("delete demo-3"), shrink.toString());
    assertEquals(List.of("demo-1", "demo-2"), new ArrayList<>(podUids().keySet()));
    assertEquals(List.of("demo-1-data", "demo-2-data"),
        client.persistentVolumeClaims().list().getItems().stream().map(c -> c.getMetadata().getName()).sorted().toList());
    assertEquals(2, resource().getStatus().members().size());
    assertEquals("kept", get("demo-2", "before-upgrade"));
  }

  /** Kubelet round, then a pass on a new operator, until the controller is idle with the cluster as specified. */
  private void converge() {
    Wait.until(STEP, () -> "the cluster as specified; operator log:\n" + logBytes, () -> {
      kubelet.sync();
      Controller.Pass p = new KubernetesOperator(client, client.getNamespace(), new MemberImages("registry.example/vkv:0.1.0"),
          admin, Clock.systemUTC(), new PrintStream(logBytes, true)).passAll().get("demo");
      if (p == null) return false;
      if (!(p.action() instanceof Action.Idle || p.action() instanceof Action.Wait) && p.error() == null) acted.add(p.action());
      ClusterStatus s = resource().getStatus();
      return p.action() instanceof Action.Idle && s != null && "Running".equals(s.phase());
    });
  }

  private VkvClusterResource resource() {
    return client.resources(VkvClusterResource.class).withName("demo").get();
  }

  private Map<String, String> podUids() {
    Map<String, String> out = new TreeMap<>();
    for (Pod p : client.pods().list().getItems()) out.put(p.getMetadata().getName(), p.getMetadata().getUid());
    return out;
  }

  private void put(String member, String key, String value) throws Exception {
    String body = "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"}";
    Wait.untilReturns(Duration.ofSeconds(30), "put through " + member, () -> post(member, "/v3/kv/put", body));
  }

  private String get(String member, String key) throws Exception {
    String answer = Wait.untilReturns(Duration.ofSeconds(30), "range on " + member, () -> post(member, "/v3/kv/range",
        "{\"key\":\"" + b64(key) + "\"}"));
    int at = answer.indexOf("\"value\":\"");
    if (at < 0) return null;
    String v = answer.substring(at + 9, answer.indexOf('"', at + 9));
    return new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
  }

  private String post(String member, String path, String body) throws Exception {
    String url = kubelet.loopback(new MemberAddresses("demo", client.getNamespace()).clientUrl(member)) + path;
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IOException(url + ": " + r.statusCode() + " " + r.body());
    return r.body();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> conditions(ClusterStatus s) {
    Map<String, String> out = new TreeMap<>();
    for (ClusterStatus.Condition c : s.conditions()) out.put(c.type(), c.status());
    return out;
  }
}
