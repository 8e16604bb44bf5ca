package io.vkv.operator.backend.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vkv.operator.reconcile.MemberLaunch;
import io.vkv.operator.reconcile.PlatformMember;
import io.vkv.operator.spec.VkvCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KubernetesPlatform} and {@link KubernetesBackend} against fabric8's mock API server in CRUD mode: the objects
 * each call creates, with their fields and owner, and that every call may be repeated. The mock stores objects; it
 * runs no kubelet, scheduler, volume provisioner or garbage collector, so what runs in a Pod is not tested here.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesPlatformTest {
  KubernetesClient client;

  private VkvClusterResource resource;
  private KubernetesBackend backend;
  private VkvCluster doc;

  @BeforeEach
  void createResource() throws IOException {
    MockApi.installCrd(client);
    resource = MockApi.create(client, MockApi.cluster("demo", 3, "  member: {heartbeatInterval: 50}\n"));
    backend = new KubernetesBackend(client, resource, new MemberImages("registry.example/vkv:current"), BackupMounts.IN_OPERATOR_IMAGE);
    doc = resource.toDocument();
  }

  @Test
  void theBackendCreatesTheServicesAndTheDisruptionBudgetOnce() {
    backend.platform(doc);
    backend.platform(doc);
    Service peers = client.services().withName("demo-peers").get();
    assertEquals("None", peers.getSpec().getClusterIP());
    assertTrue(peers.getSpec().getPublishNotReadyAddresses());
    assertEquals("demo", peers.getSpec().getSelector().get("vkv.io/cluster"));
    assertEquals(List.of(2380, 2379), peers.getSpec().getPorts().stream().map(p -> p.getPort()).toList());
    Service clients = client.services().withName("demo-client").get();
    assertEquals(List.of(2379), clients.getSpec().getPorts().stream().map(p -> p.getPort()).toList());
    assertEquals("demo", clients.getSpec().getSelector().get("vkv.io/cluster"));
    PodDisruptionBudget pdb = client.policy().v1().podDisruptionBudget().withName("demo").get();
    assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
    assertEquals("demo", pdb.getSpec().getSelector().getMatchLabels().get("vkv.io/cluster"));
    for (HasMetadata o : List.of(peers, clients, pdb)) assertOwnedByTheCluster(o);
    assertEquals(2, client.services().list().getItems().size());
  }

  @Test
  void prepareCreatesTheClaimAndGivesTheStableDnsNames() throws IOException {
    KubernetesPlatform platform = backend.platform(doc);
    PlatformMember p = platform.prepare("demo-1");
    assertEquals("http://demo-1.demo-peers.test.svc:2380", p.peerUrl());
    assertEquals("http://demo-1.demo-peers.test.svc:2379", p.clientUrl());
    assertFalse(p.running());
    assertFalse(p.startedOnce());
    assertFalse(p.hasData(), "an empty claim never started holds no member's data");
    PersistentVolumeClaim claim = client.persistentVolumeClaims().withName("demo-1-data").get();
    assertEquals("2Gi", claim.getSpec().getResources().getRequests().get("storage").toString());
    assertEquals("fast", claim.getSpec().getStorageClassName());
    assertEquals(List.of("ReadWriteOnce"), claim.getSpec().getAccessModes());
    assertEquals("demo-1", claim.getMetadata().getLabels().get("vkv.io/member"));
    assertOwnedByTheCluster(claim);
    assertEquals(p, platform.prepare("demo-1"), "prepare again: the same member");
    assertEquals(1, client.persistentVolumeClaims().list().getItems().size());
    assertEquals(List.of(p), platform.list());
  }

  @Test
  void startCreatesTheMembersPodFromItsLaunch() throws IOException {
    KubernetesPlatform platform = backend.platform(doc);
    platform.prepare("demo-2");
    MemberLaunch launch = new MemberLaunch("demo-2", "registry.example/vkv:0.1.0",
        "demo-1=http://demo-1.demo-peers.test.svc:2380,demo-2=http://demo-2.demo-peers.test.svc:2380", "existing", "demo",
        List.of("--heartbeat-interval=50"));
    platform.start("demo-2", launch);
    Pod pod = client.pods().withName("demo-2").get();
    assertOwnedByTheCluster(pod);
    assertEquals("demo-2", pod.getSpec().getHostname());
    assertEquals("demo-peers", pod.getSpec().getSubdomain());
    var c = pod.getSpec().getContainers().get(0);
    assertEquals("registry.example/vkv:0.1.0", c.getImage());
    assertEquals(List.of("--name=demo-2", "--data-dir=/var/lib/vkv/data",
        "--listen-client-urls=http://0.0.0.0:2379", "--advertise-client-urls=http://demo-2.demo-peers.test.svc:2379",
        "--listen-peer-urls=http://0.0.0.0:2380", "--initial-advertise-peer-urls=http://demo-2.demo-peers.test.svc:2380",
        "--initial-cluster=demo-1=http://demo-1.demo-peers.test.svc:2380,demo-2=http://demo-2.demo-peers.test.svc:2380",
        "--initial-cluster-state=existing", "--initial-cluster-token=demo", "--heartbeat-interval=50"), c.getArgs());
    assertEquals("/readyz", c.getReadinessProbe().getHttpGet().getPath());
    assertEquals("client", c.getReadinessProbe().getHttpGet().getPort().getStrVal());
    assertEquals("/livez", c.getLivenessProbe().getHttpGet().getPath());
    assertEquals(Map.of("client", 2379, "peer", 2380),
        Map.of(c.getPorts().get(0).getName(), c.getPorts().get(0).getContainerPort(), c.getPorts().get(1).getName(), c.getPorts().get(1).getContainerPort()));
    assertEquals("/var/lib/vkv", c.getVolumeMounts().get(0).getMountPath());
    assertEquals("demo-2-data", pod.getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName());
    assertTrue(pod.getSpec().getSecurityContext().getRunAsNonRoot());

    PlatformMember p = platform.list().get(0);
    assertTrue(p.running());
    assertTrue(p.startedOnce());
    assertTrue(p.hasData());
    assertEquals("registry.example/vkv:0.1.0", p.version());
    String created = pod.getMetadata().getUid();
    platform.start("demo-2", launch);
    assertEquals(created, client.pods().withName("demo-2").get().getMetadata().getUid(), "start again: the same Pod");
  }

  @Test
  void currentMeansTheOperatorsMemberImage() throws IOException {
    KubernetesPlatform platform = backend.platform(doc);
    platform.prepare("demo-1");
    platform.start("demo-1", new MemberLaunch("demo-1", "current", "demo-1=x", "new", "demo", List.of()));
    assertEquals("registry.example/vkv:current", client.pods().withName("demo-1").get().getSpec().getContainers().get(0).getImage());
    assertEquals("current", platform.list().get(0).version(), "the version is the spec's word, as on a single host");
  }

  @Test
  void stopDeletesOnlyThePodAndDeleteTakesTheClaimToo() throws IOException {
    KubernetesPlatform platform = backend.platform(doc);
    platform.prepare("demo-1");
    MemberLaunch launch = new MemberLaunch("demo-1", "registry.example/vkv:0.1.0", "demo-1=x", "new", "demo", List.of());
    platform.start("demo-1", launch);
    platform.stop("demo-1");
    platform.stop("demo-1");
    assertNull(client.pods().withName("demo-1").get());
    PlatformMember stopped = platform.list().get(0);
    assertFalse(stopped.running());
    assertTrue(stopped.startedOnce(), "recorded on the claim");
    assertTrue(stopped.hasData());
    assertEquals("registry.example/vkv:0.1.0", stopped.version());

    platform.delete("demo-1");
    platform.delete("demo-1");
    assertNull(client.persistentVolumeClaims().withName("demo-1-data").get());
    assertEquals(List.of(), platform.list());
  }

  @Test
  void aMemberWhoseClaimIsGoneHasLostItsData() throws IOException {
    KubernetesPlatform platform = backend.platform(doc);
    platform.prepare("demo-1");
    platform.start("demo-1", new MemberLaunch("demo-1", "current", "demo-1=x", "new", "demo", List.of()));
    client.persistentVolumeClaims().withName("demo-1-data").delete();
    PlatformMember p = platform.list().get(0);
    assertTrue(p.startedOnce());
    assertFalse(p.hasData());
  }

  @Test
  void startWithoutPrepareAndRestoreAreRefused() throws IOException {
    KubernetesPlatform platform = backend.platform(doc);
    MemberLaunch launch = new MemberLaunch("demo-9", "current", "demo-9=x", "new", "demo", List.of());
    assertTrue(assertThrows(IOException.class, () -> platform.start("demo-9", launch)).getMessage().contains("never prepared"));
    assertNull(client.pods().withName("demo-9").get());
    platform.prepare("demo-9");
    assertEquals("spec.restore needs spec.backup to find the backup in",
        assertThrows(IOException.class, () -> platform.restore("demo-9", Path.of("x.db"), launch)).getMessage());
    assertNull(backend.backups(doc));
  }

  @Test
  void membersOfAnotherClusterAreNotListed() throws IOException {
    backend.platform(doc).prepare("demo-1");
    VkvClusterResource other = MockApi.create(client, MockApi.cluster("other", 1, ""));
    KubernetesPlatform otherPlatform = new KubernetesBackend(client, other, new MemberImages("x"), BackupMounts.IN_OPERATOR_IMAGE).platform(other.toDocument());
    assertEquals(List.of(), otherPlatform.list());
    otherPlatform.prepare("other-1");
    assertEquals(List.of("other-1"), otherPlatform.list().stream().map(PlatformMember::name).toList());
  }

  private void assertOwnedByTheCluster(HasMetadata o) {
    List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
    assertEquals(1, refs.size(), o.getKind() + " " + o.getMetadata().getName());
    OwnerReference r = refs.get(0);
    assertNotNull(resource.getMetadata().getUid());
    assertEquals(resource.getMetadata().getUid(), r.getUid());
    assertEquals("VkvCluster", r.getKind());
    assertEquals("vkv.io/v1alpha1", r.getApiVersion());
    assertEquals("demo", r.getName());
    assertTrue(r.getController());
    assertTrue(r.getBlockOwnerDeletion());
  }
}
