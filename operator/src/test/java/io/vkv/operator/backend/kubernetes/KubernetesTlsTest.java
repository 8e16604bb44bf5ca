package io.vkv.operator.backend.kubernetes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vkv.operator.cluster.ClusterAccess;
import io.vkv.operator.controller.Controller;
import io.vkv.operator.reconcile.Action;
import io.vkv.operator.reconcile.MemberLaunch;
import io.vkv.operator.spec.ClusterStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.tls} and {@code spec.auth} on the Kubernetes backend, against fabric8's mock API server in CRUD mode:
 * the Secrets the Pods mount and the flags and probes they get, the Secrets autoTls issues (owned, with the members'
 * names, kept across operator restarts), what the operator reads to dial the members, and a missing Secret or key
 * reported in the status. Whether vkv runs with them is {@link KubernetesTlsRealMembersTest}'s part.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesTlsTest {
  private static final MemberLaunch LAUNCH = new MemberLaunch("sec-1", "registry.example/vkv:0.1.0",
      "sec-1=https://sec-1.sec-peers.test.svc:2380", "new", "sec", List.of());

  KubernetesClient client;

  @BeforeEach
  void setUp() throws IOException {
    MockApi.installCrd(client);
  }

  @Test
  void namedSecretsAreMountedReadOnlyWithTheirFlagsAndHttpsUrls() throws IOException {
    VkvClusterResource r = MockApi.create(client, MockApi.cluster("sec", 1,
        "  tls: {clientSecret: my-client, peerSecret: my-peer, clientCertAuth: true}\n"));
    tlsSecret("my-client");
    tlsSecret("my-peer");
    KubernetesBackend backend = backend(r);
    backend.access(r.toDocument());
    KubernetesPlatform platform = backend.platform(r.toDocument());
    assertEquals("https://sec-1.sec-peers.test.svc:2380", platform.prepare("sec-1").peerUrl());
    platform.start("sec-1", LAUNCH);
    Pod pod = client.pods().withName("sec-1").get();
    Container c = pod.getSpec().getContainers().get(0);
    List<String> args = c.getArgs();
    assertTrue(args.containsAll(List.of("--listen-client-urls=https://0.0.0.0:2379",
        "--advertise-client-urls=https://sec-1.sec-peers.test.svc:2379", "--listen-peer-urls=https://0.0.0.0:2380",
        "--initial-advertise-peer-urls=https://sec-1.sec-peers.test.svc:2380")), args.toString());
    assertEquals(List.of("--cert-file=/etc/vkv/tls/client/tls.crt", "--key-file=/etc/vkv/tls/client/tls.key",
        "--trusted-ca-file=/etc/vkv/tls/client/ca.crt", "--client-cert-auth",
        "--peer-cert-file=/etc/vkv/tls/peer/tls.crt", "--peer-key-file=/etc/vkv/tls/peer/tls.key",
        "--peer-trusted-ca-file=/etc/vkv/tls/peer/ca.crt", "--peer-client-cert-auth"), args.subList(args.size() - 8, args.size()));
    assertEquals(Map.of("/etc/vkv/tls/client", "my-client", "/etc/vkv/tls/peer", "my-peer"), secretMounts(pod));
    assertEquals("sec-1-data", pod.getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName(), "the data volume first");
    // the kubelet has no client certificate: with clientCertAuth the probes can only check the port
    assertNull(c.getReadinessProbe().getHttpGet());
    assertEquals("client", c.getReadinessProbe().getTcpSocket().getPort().getStrVal());
    assertEquals("client", c.getLivenessProbe().getTcpSocket().getPort().getStrVal());
  }

  @Test
  void changingTlsOnARunningClusterIsRefusedBeforeAnythingStops() throws IOException {
    VkvClusterResource plain = MockApi.create(client, MockApi.cluster("sec", 1, ""));
    KubernetesPlatform before = backend(plain).platform(plain.toDocument());
    before.prepare("sec-1");
    before.start("sec-1", new MemberLaunch("sec-1", "registry.example/vkv:0.1.0",
        "sec-1=http://sec-1.sec-peers.test.svc:2380", "new", "sec", List.of()));
    tlsSecret("my-client");
    // the same cluster with spec.tls added (the mock API deletes no Pods with their owner, as a cluster would not here)
    client.resources(VkvClusterResource.class).withName("sec").delete();
    VkvClusterResource withTls = MockApi.create(client, MockApi.cluster("sec", 1, "  tls: {clientSecret: my-client}\n"));
    KubernetesPlatform after = backend(withTls).platform(withTls.toDocument());
    IOException upgrade = assertThrows(IOException.class, () -> after.stop("sec-1"));
    assertTrue(upgrade.getMessage().contains("spec.tls does not match member sec-1"), upgrade.getMessage());
    assertNotNull(client.pods().withName("sec-1").get(), "the member was not stopped");
    IOException grow = assertThrows(IOException.class, () -> after.prepare("sec-2"));
    assertTrue(grow.getMessage().contains("spec.tls does not match member sec-1"), grow.getMessage());
  }

  @Test
  void clientTlsAloneProbesOverHttpsAndKeepsPeersPlain() throws IOException {
    VkvClusterResource r = MockApi.create(client, MockApi.cluster("sec", 1, "  tls: {clientSecret: my-client}\n"));
    tlsSecret("my-client");
    KubernetesBackend backend = backend(r);
    ClusterAccess access = backend.access(r.toDocument());
    assertEquals("ca of my-client", Files.readString(access.trustedCa()));
    assertNull(access.certFile(), "no client certificate when members do not require one");
    assertNull(access.user());
    KubernetesPlatform platform = backend.platform(r.toDocument());
    platform.prepare("sec-1");
    platform.start("sec-1", LAUNCH);
    Container c = client.pods().withName("sec-1").get().getSpec().getContainers().get(0);
    assertTrue(c.getArgs().contains("--listen-peer-urls=http://0.0.0.0:2380"), c.getArgs().toString());
    assertTrue(c.getArgs().contains("--advertise-client-urls=https://sec-1.sec-peers.test.svc:2379"), c.getArgs().toString());
    assertTrue(c.getArgs().stream().noneMatch(a -> a.startsWith("--peer-") || a.equals("--client-cert-auth")), c.getArgs().toString());
    assertEquals("HTTPS", c.getReadinessProbe().getHttpGet().getScheme());
    assertEquals("/readyz", c.getReadinessProbe().getHttpGet().getPath());
    assertEquals("HTTPS", c.getLivenessProbe().getHttpGet().getScheme());
    assertEquals("/livez", c.getLivenessProbe().getHttpGet().getPath());
  }

  @Test
  void autoTlsIssuesOwnedSecretsForEveryMemberNameOnceAndReusesThemAfterARestart() throws Exception {
    VkvClusterResource r = MockApi.create(client, MockApi.cluster("sec", 3, "  tls: {autoTls: true, clientCertAuth: true}\n"));
    ClusterAccess access = backend(r).access(r.toDocument());
    Map<String, Secret> first = new HashMap<>();
    for (String name : List.of("sec-ca", "sec-client-tls", "sec-peer-tls")) {
      Secret s = client.secrets().withName(name).get();
      assertOwnedBy(r, s);
      first.put(name, s);
    }
    assertEquals("kubernetes.io/tls", first.get("sec-client-tls").getType());
    X509Certificate ca = cert(data(first.get("sec-ca"), "ca.crt"));
    for (String name : List.of("sec-client-tls", "sec-peer-tls")) {
      X509Certificate leaf = cert(data(first.get(name), "tls.crt"));
      leaf.verify(ca.getPublicKey());
      assertArrayEquals(data(first.get("sec-ca"), "ca.crt"), data(first.get(name), "ca.crt"));
      List<String> sans = leaf.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
      assertTrue(sans.containsAll(List.of("*.sec-peers.test.svc", "sec-client", "sec-client.test", "sec-client.test.svc",
          "localhost", "127.0.0.1")), sans.toString());
    }
    // the operator trusts the cluster CA and, as members require client certificates, presents the client pair
    assertArrayEquals(data(first.get("sec-ca"), "ca.crt"), Files.readAllBytes(access.trustedCa()));
    assertArrayEquals(data(first.get("sec-client-tls"), "tls.crt"), Files.readAllBytes(access.certFile()));
    assertArrayEquals(data(first.get("sec-client-tls"), "tls.key"), Files.readAllBytes(access.keyFile()));

    // a restarted operator (a new backend) issues nothing: the same Secrets, the same access
    ClusterAccess again = backend(r).access(r.toDocument());
    for (String name : first.keySet()) {
      assertEquals(first.get(name).getData(), client.secrets().withName(name).get().getData(), name);
      assertEquals(first.get(name).getMetadata().getResourceVersion(), client.secrets().withName(name).get().getMetadata().getResourceVersion());
    }
    assertEquals(access, again);
    // a member's Pod mounts them
    KubernetesPlatform platform = backend(r).platform(r.toDocument());
    platform.prepare("sec-1");
    platform.start("sec-1", LAUNCH);
    assertEquals(Map.of("/etc/vkv/tls/client", "sec-client-tls", "/etc/vkv/tls/peer", "sec-peer-tls"),
        secretMounts(client.pods().withName("sec-1").get()));
  }

  @Test
  void autoTlsKeepsANamedSecretAndIssuesOnlyTheOtherSide() throws IOException {
    VkvClusterResource r = MockApi.create(client, MockApi.cluster("sec", 1, "  tls: {autoTls: true, clientSecret: my-client}\n"));
    tlsSecret("my-client");
    ClusterAccess access = backend(r).access(r.toDocument());
    assertEquals("ca of my-client", Files.readString(access.trustedCa()));
    assertNull(client.secrets().withName("sec-client-tls").get());
    assertTrue(client.secrets().withName("sec-peer-tls").get() != null);
  }

  @Test
  void theRootPasswordComesFromItsSecretsPasswordKey() throws IOException {
    VkvClusterResource r = MockApi.create(client, MockApi.cluster("sec", 1, "  auth: {rootPasswordSecret: root-pw}\n"));
    secret("root-pw", Map.of("password", "s3cret\n"));
    ClusterAccess access = backend(r).access(r.toDocument());
    assertEquals("root", access.user());
    assertEquals("s3cret", access.password(), "the line end a file-made Secret carries is dropped");
    assertNull(access.trustedCa());
  }

  @Test
  void missingSecretsAndKeysAreNamed() {
    VkvClusterResource r = MockApi.create(client, MockApi.cluster("sec", 1,
        "  tls: {clientSecret: my-client, peerSecret: my-peer}\n  auth: {rootPasswordSecret: root-pw}\n"));
    assertEquals("Secret test/my-client not found", refused(r));
    tlsSecret("my-client");
    secret("my-peer", Map.of("tls.crt", "x", "ca.crt", "x"));
    assertEquals("Secret test/my-peer has no key tls.key", refused(r));
    tlsSecret("my-peer");
    assertEquals("Secret test/root-pw not found", refused(r));
    secret("root-pw", Map.of("pass", "x"));
    assertEquals("Secret test/root-pw has no key password", refused(r));
  }

  /** The controller with a Secret missing: a status error naming it, no Pod, nothing thrown; then it proceeds. */
  @Test
  void aMissingSecretIsAStatusErrorAndTheClusterWaitsForIt() {
    MockApi.create(client, MockApi.cluster("sec", 1, "  tls: {clientSecret: my-client}\n"));
    PlayedCluster played = new PlayedCluster(client);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    for (int i = 0; i < 3; i++) {
      Controller.Pass p = operator(played, log).passAll().get("sec");
      assertTrue(p != null && p.action() instanceof Action.Wait, "pass " + i + ": " + p + "; log:\n" + log);
    }
    ClusterStatus status = client.resources(VkvClusterResource.class).withName("sec").get().getStatus();
    assertEquals("Creating", status.phase());
    assertTrue(status.lastError().endsWith(" reaching the members: Secret test/my-client not found"), status.lastError());
    assertEquals(List.of(), client.pods().list().getItems(), "no Pod mounts a Secret that is not there");
    assertEquals(List.of(), client.persistentVolumeClaims().list().getItems());

    tlsSecret("my-client");
    Controller.Pass p = operator(played, log).passAll().get("sec");
    assertTrue(p.error() == null && !(p.action() instanceof Action.Wait), p + "; log:\n" + log);
    assertEquals(1, client.persistentVolumeClaims().list().getItems().size());
  }

  private KubernetesOperator operator(PlayedCluster played, ByteArrayOutputStream log) {
    return new KubernetesOperator(client, client.getNamespace(), new MemberImages("registry.example/vkv:0.1.0"), played,
        Clock.systemUTC(), new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  private String refused(VkvClusterResource r) {
    return assertThrows(IOException.class, () -> backend(r).access(r.toDocument())).getMessage();
  }

  private KubernetesBackend backend(VkvClusterResource r) {
    return new KubernetesBackend(client, r, new MemberImages("registry.example/vkv:current"), BackupMounts.IN_OPERATOR_IMAGE);
  }

  private void tlsSecret(String name) {
    secret(name, Map.of("tls.crt", "cert of " + name, "tls.key", "key of " + name, "ca.crt", "ca of " + name));
  }

  private void secret(String name, Map<String, String> values) {
    Map<String, String> data = new HashMap<>();
    values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    client.secrets().withName(name).delete();
    client.resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata().withData(data).build()).create();
  }

  private static Map<String, String> secretMounts(Pod pod) {
    Map<String, String> out = new HashMap<>();
    for (VolumeMount m : pod.getSpec().getContainers().get(0).getVolumeMounts()) {
      Volume v = pod.getSpec().getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst().orElseThrow();
      if (v.getSecret() == null) continue;
      assertTrue(m.getReadOnly(), m.getMountPath());
      out.put(m.getMountPath(), v.getSecret().getSecretName());
    }
    return out;
  }

  private static byte[] data(Secret s, String key) {
    return Base64.getDecoder().decode(s.getData().get(key));
  }

  private static X509Certificate cert(byte[] pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
  }

  private static void assertOwnedBy(VkvClusterResource r, HasMetadata o) {
    List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
    assertEquals(1, refs.size(), o.getMetadata().getName());
    assertEquals(r.getMetadata().getUid(), refs.get(0).getUid());
    assertEquals("VkvCluster", refs.get(0).getKind());
  }
}
