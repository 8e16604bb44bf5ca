package io.vkv.operator.backend.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vkv.node.testing.Commands;
import io.vkv.node.testing.Wait;
import io.vkv.operator.cluster.ClusterAccess;
import io.vkv.operator.cluster.ClusterApi;
import io.vkv.operator.controller.Controller;
import io.vkv.operator.reconcile.Action;
import io.vkv.operator.spec.ClusterStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code autoTls} and {@code auth} on the Kubernetes backend with real members: the operator issues the TLS Secrets,
 * {@link LocalKubelet} writes the Pods' Secret volumes out and runs vkv with the Pods' own TLS flags (https on both
 * ports), and the operator dials the members as its spec says (the client Secret's CA, root's password from its
 * Secret), through {@link LoopbackAdmin}s it makes per access. etcdctl is the client.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesTlsRealMembersTest {
  private static final Path VKV_JAR = Path.of(System.getProperty("vkv.jar", "../node/target/vkv.jar")).toAbsolutePath();
  private static final Duration STEP = Duration.ofSeconds(120);
  private static final String PASSWORD = "k8s-root-pw";

  KubernetesClient client;
  @TempDir Path dir;
  private LocalKubelet kubelet;
  /** The operator's connections, one per access, as an operator that runs on keeps them. */
  private final Map<ClusterAccess, LoopbackAdmin> admins = new HashMap<>();
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws IOException {
    MockApi.installCrd(client);
    kubelet = new LocalKubelet(client, VKV_JAR, dir.resolve("volumes"));
  }

  @AfterEach
  void tearDown() {
    kubelet.close();
    admins.values().forEach(LoopbackAdmin::close);
  }

  @Test
  void threeMembersWithIssuedCertificatesAndAuthServeAClientWithTheCaAndRootsPassword() throws Exception {
    assertTrue(Files.isRegularFile(VKV_JAR), "build node first: " + VKV_JAR);
    client.resource(new SecretBuilder().withNewMetadata().withName("sec-root").endMetadata()
        .withData(Map.of("password", Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)))).build()).create();
    MockApi.create(client, MockApi.cluster("sec", 3, "  member: {heartbeatInterval: 50, electionTimeout: 500}\n"
        + "  tls: {autoTls: true}\n  auth: {rootPasswordSecret: sec-root}\n"));
    converge();

    ClusterStatus status = client.resources(VkvClusterResource.class).withName("sec").get().getStatus();
    assertEquals(List.of("sec-1", "sec-2", "sec-3"), status.members().stream().map(ClusterStatus.MemberStatus::name).toList());
    assertTrue(status.members().stream().allMatch(m -> m.healthy() && !m.learner() && m.clientUrl().startsWith("https://")),
        status.members().toString());
    assertEquals(1, admins.size(), "one access for the whole run: " + admins.keySet());
    ClusterAccess access = admins.keySet().iterator().next();
    assertEquals("root", access.user());
    assertTrue(access.tls(), "the operator dialled over TLS: " + access);

    Path ca = dir.resolve("ca.crt");
    Files.write(ca, Base64.getDecoder().decode(client.secrets().withName("sec-client-tls").get().getData().get("ca.crt")));
    String endpoints = String.join(",", status.members().stream().map(m -> kubelet.loopback(m.clientUrl())).toList());
    assertTrue(endpoints.startsWith("https://127.0.0.1:"), endpoints);
    assertEquals("OK", etcdctl(endpoints, "--cacert=" + ca, "--user=root:" + PASSWORD, "put", "k", "v").out().trim());
    for (ClusterStatus.MemberStatus m : status.members()) {
      String one = kubelet.loopback(m.clientUrl());
      Commands.Result got = etcdctl(one, "--cacert=" + ca, "--user=root:" + PASSWORD, "get", "k");
      assertEquals("k\nv", got.out().trim(), m.name() + ": " + got.all());
    }
    Commands.Result noUser = etcdctl(endpoints, "--cacert=" + ca, "get", "k");
    assertNotEquals(0, noUser.exitCode(), "auth is on: " + noUser.all());
    Commands.Result plain = etcdctl(endpoints.replace("https://", "http://"), "--user=root:" + PASSWORD, "get", "k");
    assertNotEquals(0, plain.exitCode(), "a plain-text client gets nothing: " + plain.all());
  }

  /** Kubelet round, then a pass on a new operator, until the controller is idle with the cluster as specified. */
  private void converge() {
    Wait.until(STEP, () -> "the cluster as specified; operator log:\n" + logBytes, () -> {
      kubelet.sync();
      Controller.Pass p = new KubernetesOperator(client, client.getNamespace(), new MemberImages("registry.example/vkv:0.1.0"),
          BackupMounts.IN_OPERATOR_IMAGE, this::admin, Clock.systemUTC(), new PrintStream(logBytes, true)).passAll().get("sec");
      ClusterStatus s = client.resources(VkvClusterResource.class).withName("sec").get().getStatus();
      return p != null && p.action() instanceof Action.Idle && s != null && "Running".equals(s.phase());
    });
  }

  private ClusterApi admin(ClusterAccess access) {
    return admins.computeIfAbsent(access, a -> new LoopbackAdmin(kubelet, "sec", client.getNamespace(), a));
  }

  private static Commands.Result etcdctl(String endpoints, String... args) {
    List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoints, "--dial-timeout=3s", "--command-timeout=5s"));
    cmd.addAll(List.of(args));
    return Commands.run(cmd);
  }
}
