package io.vkv.operator.backend.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real controller (Observer, Decider, Actuator) on the Kubernetes backend, against fabric8's mock API server in
 * CRUD mode, with the cluster's answers played by {@link PlayedCluster}. Every pass runs on a new
 * {@link KubernetesOperator}, so nothing but the resource, its status and the objects carries over: as after a restart
 * at any point. What this proves: which objects the controller creates and deletes, in which order, and what it writes
 * to the status subresource. What it cannot: Pods really running vkv, DNS, volumes, probes, garbage collection.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesControllerTest {
  private static final String IMAGE_A = "registry.example/vkv:0.1.0";
  private static final String IMAGE_B = "registry.example/vkv:0.2.0";

  KubernetesClient client;
  private PlayedCluster cluster;
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws IOException {
    MockApi.installCrd(client);
    cluster = new PlayedCluster(client);
  }

  @Test
  void createsAClusterOfThreeOneLearnerAtATimeAndReportsItInTheStatus() {
    MockApi.create(client, MockApi.cluster("demo", 3, ""));
    List<String> steps = converge("demo").stream().map(KubernetesControllerTest::step).toList();
    assertEquals(List.of("bootstrap demo-1",
        "prepare demo-2", "add learner demo-2", "start demo-2", "promote demo-2",
        "prepare demo-3", "add learner demo-3", "start demo-3", "promote demo-3"), steps);
    assertEquals(List.of("demo-1", "demo-2", "demo-3"), names(client.pods().list().getItems()));
    assertEquals(List.of("demo-1-data", "demo-2-data", "demo-3-data"), names(client.persistentVolumeClaims().list().getItems()));
    assertEquals(List.of("demo-client", "demo-peers"), names(client.services().list().getItems()));
    assertNotNull(client.policy().v1().podDisruptionBudget().withName("demo").get());
    assertEquals(List.of("bootstrap demo-1", "add learner http://demo-2.demo-peers.test.svc:2380", "promote demo-2",
        "add learner http://demo-3.demo-peers.test.svc:2380", "promote demo-3"), cluster.changes);

    ClusterStatus status = resource("demo").getStatus();
    assertEquals("Running", status.phase());
    assertEquals("demo-1", status.leader());
    assertEquals("0.1.0", status.currentVersion());
    assertEquals(List.of("demo-1", "demo-2", "demo-3"), status.members().stream().map(ClusterStatus.MemberStatus::name).toList());
    assertTrue(status.members().stream().allMatch(m -> m.healthy() && !m.learner()));
    assertEquals("http://demo-2.demo-peers.test.svc:2379", status.member("demo-2").clientUrl());
    assertEquals(Map.of("Available", "True", "Ready", "True"), conditions(status));
    assertNull(status.lastError());
    assertTrue(status.lastAction().endsWith(" promote demo-3 (" + Long.toHexString(idOf("demo-3")) + ")"), status.lastAction());
  }

  @Test
  void theStatusIsASubresourceTheSpecStaysTheUsers() {
    MockApi.create(client, MockApi.cluster("demo", 1, ""));
    converge("demo");
    VkvClusterResource r = resource("demo");
    assertEquals(1, r.getSpec().size());
    assertEquals("Running", r.getStatus().phase());
    editSpec("demo", s -> new io.vkv.operator.spec.ClusterSpec(2, s.version(), s.storage(), s.member(), s.heal(), null, null, null, null));
    assertEquals("Running", resource("demo").getStatus().phase(), "a spec edit leaves the status alone");
    assertEquals(2, resource("demo").getSpec().size());
  }

  @Test
  void scalesUpToFiveAndBackToThreeRemovingTheNewestFollowers() {
    MockApi.create(client, MockApi.cluster("demo", 3, ""));
    converge("demo");
    editSpec("demo", s -> withSize(s, 5));
    converge("demo");
    assertEquals(List.of("demo-1", "demo-2", "demo-3", "demo-4", "demo-5"), names(client.pods().list().getItems()));
    assertEquals(5, cluster.members().size());
    assertEquals("Running", resource("demo").getStatus().phase());

    cluster.changes.clear();
    editSpec("demo", s -> withSize(s, 3));
    List<String> steps = converge("demo").stream().map(KubernetesControllerTest::step).toList();
    assertEquals(List.of("remove demo-5", "delete demo-5", "remove demo-4", "delete demo-4"), steps);
    assertEquals(List.of("demo-1", "demo-2", "demo-3"), names(client.pods().list().getItems()));
    assertEquals(List.of("demo-1-data", "demo-2-data", "demo-3-data"), names(client.persistentVolumeClaims().list().getItems()));
    assertEquals(3, cluster.members().size());
    assertEquals(Map.of("Available", "True", "Ready", "True"), conditions(resource("demo").getStatus()));
  }

  @Test
  void aMemberWhoseVolumeIsGoneIsReplacedByANewPodWithANewClaim() {
    MockApi.create(client, MockApi.cluster("demo", 3, ""));
    converge("demo");
    String oldPodUid = client.pods().withName("demo-2").get().getMetadata().getUid();
    client.persistentVolumeClaims().withName("demo-2-data").delete();
    cluster.changes.clear();
    List<String> steps = converge("demo").stream().map(KubernetesControllerTest::step).toList();
    assertEquals(List.of("remove demo-2", "delete demo-2",
        "prepare demo-4", "add learner demo-4", "start demo-4", "promote demo-4"), steps);
    assertNull(client.pods().withName("demo-2").get());
    assertEquals(List.of("demo-1", "demo-3", "demo-4"), names(client.pods().list().getItems()));
    assertEquals(List.of("demo-1-data", "demo-3-data", "demo-4-data"), names(client.persistentVolumeClaims().list().getItems()));
    assertTrue(client.pods().list().getItems().stream().noneMatch(p -> p.getMetadata().getUid().equals(oldPodUid)));
    assertEquals(List.of("remove demo-2", "add learner http://demo-4.demo-peers.test.svc:2380", "promote demo-4"), cluster.changes);
    assertEquals(4, resource("demo").getStatus().highestMemberNumber(), "the name demo-2 is never used again");
  }

  @Test
  void upgradeReplacesOnePodAtATimeFollowersFirstTheLeaderLastAfterATransfer() {
    MockApi.create(client, MockApi.cluster("demo", 3, ""));
    converge("demo");
    editSpec("demo", s -> new io.vkv.operator.spec.ClusterSpec(s.size(), IMAGE_B, s.storage(), s.member(), s.heal(), null, null, null, null));
    List<String> steps = new ArrayList<>();
    int upgraded = 0;
    for (int i = 0; i < 30; i++) {
      Controller.Pass p = pass("demo");
      assertNull(p.error(), p.action().describe());
      if (p.action() instanceof Action.Idle) break;
      steps.add(step(p.action()));
      Map<String, String> images = images();
      assertEquals(3, images.size(), "every member's Pod exists between passes");
      long now = images.values().stream().filter(IMAGE_B::equals).count();
      assertTrue(now - upgraded <= 1, "at most one Pod replaced per pass: " + images);
      upgraded = (int) now;
    }
    assertEquals(List.of("upgrade demo-2", "upgrade demo-3", "move leader", "upgrade demo-1"), steps);
    assertEquals(List.of("move leader to demo-2"), cluster.changes.stream().filter(c -> c.startsWith("move")).toList());
    assertEquals(Map.of("demo-1", IMAGE_B, "demo-2", IMAGE_B, "demo-3", IMAGE_B), images());
    ClusterStatus status = resource("demo").getStatus();
    assertEquals("0.2.0", status.currentVersion());
    assertEquals("demo-2", status.leader());
    assertEquals("Running", status.phase());
  }

  @Test
  void aSpecTheBackendCannotRunIsRefusedAndNothingIsCreated() {
    MockApi.create(client, MockApi.cluster("demo", 3, "  backup: {interval: 30m, directory: /backups}\n"));
    Map<String, Controller.Pass> passes = operator().passAll();
    assertTrue(passes.containsKey("demo"));
    assertNull(passes.get("demo"), "the pass failed");
    assertTrue(log().contains("spec.backup.volumeClaim must name the PersistentVolumeClaim backups go to"), log());
    assertEquals(List.of(), client.pods().list().getItems());
    assertEquals(List.of(), client.services().list().getItems());
  }

  @Test
  void theOperatorLoopReconcilesAClusterCreatedWhileItRuns() throws Exception {
    KubernetesOperator op = operator();
    Thread loop = new Thread(() -> {
      try {
        op.run(Duration.ofMillis(200));
      } catch (InterruptedException e) {
        // stopped by the test
      }
    }, "operator-loop");
    loop.start();
    try {
      MockApi.create(client, MockApi.cluster("demo", 2, ""));
      Wait.until(Duration.ofSeconds(60), () -> "a running cluster of 2; log:\n" + log(), () -> {
        VkvClusterResource r = resource("demo");
        return r.getStatus() != null && "Running".equals(r.getStatus().phase()) && r.getStatus().members().size() == 2;
      });
      assertEquals(List.of("demo-1", "demo-2"), names(client.pods().list().getItems()));
      assertTrue(log().contains("test/demo: promote demo-2"), log());
    } finally {
      loop.interrupt();
      loop.join(30_000);
    }
  }

  // ---- helpers ----

  /** An action without its reason or details: "delete demo-2", "move leader". */
  private static String step(Action a) {
    String s = a.describe().replaceAll("( \\(|: | from ).*", "");
    return s.startsWith("move leader") ? "move leader" : s;
  }

  private KubernetesOperator operator() {
    return new KubernetesOperator(client, client.getNamespace(), new MemberImages(IMAGE_A), cluster, Clock.systemUTC(),
        new PrintStream(logBytes, true));
  }

  private synchronized String log() {
    return logBytes.toString();
  }

  /** One pass on a new operator, as if restarted before it. */
  private Controller.Pass pass(String name) {
    Controller.Pass p = operator().passAll().get(name);
    assertNotNull(p, "the pass failed; log:\n" + log());
    return p;
  }

  /** Passes until idle; every one must go through (no refusal by the played cluster). */
  private List<Action> converge(String name) {
    List<Action> done = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Controller.Pass p = pass(name);
      if (p.error() != null) throw new AssertionError(p.error() + "\nafter " + done);
      if (p.action() instanceof Action.Idle) return done;
      if (p.action() instanceof Action.Wait) throw new AssertionError("stuck: " + p.action().describe() + " after " + done);
      done.add(p.action());
    }
    throw new AssertionError("did not settle: " + done);
  }

  private VkvClusterResource resource(String name) {
    return client.resources(VkvClusterResource.class).withName(name).get();
  }

  private void editSpec(String name, UnaryOperator<io.vkv.operator.spec.ClusterSpec> change) {
    client.resources(VkvClusterResource.class).withName(name).edit(r -> {
      r.setSpec(change.apply(r.getSpec()));
      return r;
    });
  }

  private static io.vkv.operator.spec.ClusterSpec withSize(io.vkv.operator.spec.ClusterSpec s, int size) {
    return new io.vkv.operator.spec.ClusterSpec(size, s.version(), s.storage(), s.member(), s.heal(), s.backup(), s.restore(), s.tls(), s.auth());
  }

  private Map<String, String> images() {
    Map<String, String> out = new TreeMap<>();
    for (Pod p : client.pods().list().getItems()) out.put(p.getMetadata().getName(), p.getSpec().getContainers().get(0).getImage());
    return out;
  }

  private long idOf(String member) {
    return cluster.members().values().stream().filter(m -> m.getName().equals(member)).findFirst().orElseThrow().getID();
  }

  private static Map<String, String> conditions(ClusterStatus s) {
    Map<String, String> out = new TreeMap<>();
    for (ClusterStatus.Condition c : s.conditions()) out.put(c.type(), c.status());
    return out;
  }

  private static List<String> names(List<? extends HasMetadata> items) {
    return items.stream().map(o -> o.getMetadata().getName()).sorted().toList();
  }
}
