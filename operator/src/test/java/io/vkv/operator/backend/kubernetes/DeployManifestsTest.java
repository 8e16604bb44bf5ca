package io.vkv.operator.backend.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vkv.operator.OperatorCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every manifest under deploy/kubernetes/ parses as Kubernetes objects, the whole directory applies to fabric8's mock
 * API server (which checks the shape of the YAML, not what a real API server would validate), the example
 * VkvCluster passes the operator's checks, and the Deployment's arguments are ones the operator accepts.
 */
@EnableKubernetesMockClient(crud = true)
class DeployManifestsTest {
  private static final Path DIR = Path.of("../deploy/kubernetes");

  KubernetesClient client;

  @Test
  void theDirectoryAppliesAsOneAndTheExampleIsAValidCluster() throws IOException {
    List<String> kinds = new ArrayList<>();
    for (Path file : yamlFiles(DIR)) {
      List<HasMetadata> items = load(file);
      assertFalse(items.isEmpty(), file + " holds no object");
      for (HasMetadata o : items) {
        client.resource(o).create();
        kinds.add(o.getKind());
      }
    }
    assertEquals(List.of("CustomResourceDefinition", "Namespace", "ServiceAccount", "Role", "RoleBinding",
        "PersistentVolumeClaim", "Deployment"), kinds);

    assertEquals(1, load(DIR.resolve("examples/demo.yaml")).size());
    VkvClusterResource demo;
    try (InputStream in = Files.newInputStream(DIR.resolve("examples/demo.yaml"))) {
      demo = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(in, VkvClusterResource.class);
    }
    KubernetesSpecRules.check(demo.toDocument(), "examples/demo.yaml");
    assertEquals("1Gi", demo.getSpec().storage().size());
    assertEquals("vkv-backups", demo.getSpec().backup().volumeClaim(), "the example backs up into the claim installed with the operator");
    VkvClusterResource created = client.resources(VkvClusterResource.class).inNamespace("vkv").resource(demo).create();
    assertEquals(3, created.getSpec().size());
  }

  @Test
  void theOperatorDeploymentRunsTheKubernetesModeAsItsServiceAccount() throws IOException {
    Deployment d = (Deployment) load(DIR.resolve("20-operator.yaml")).get(0);
    assertEquals("RollingUpdate", d.getSpec().getStrategy().getType(), "replicas take turns through the Lease");
    assertEquals(2, d.getSpec().getReplicas());
    assertEquals("vkv-operator", d.getSpec().getTemplate().getSpec().getServiceAccountName());
    List<String> args = d.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    CommandLine.ParseResult parsed = new CommandLine(new OperatorCommand()).parseArgs(args.toArray(String[]::new));
    assertTrue(parsed.hasSubcommand());
    CommandLine.ParseResult sub = parsed.subcommand();
    assertEquals("kubernetes", sub.commandSpec().name());
    assertTrue((Boolean) sub.matchedOptionValue("--leader-election", true), "leader election is on");
    assertEquals("vkv-operator", sub.matchedOptionValue("--lease-name", ""));
  }

  @Test
  void theBackupClaimIsMountedWhereTheOperatorLooksForIt() throws IOException {
    PersistentVolumeClaim claim = (PersistentVolumeClaim) load(DIR.resolve("15-backups.yaml")).get(0);
    Deployment d = (Deployment) load(DIR.resolve("20-operator.yaml")).get(0);
    var pod = d.getSpec().getTemplate().getSpec();
    Volume volume = pod.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null).findFirst().orElseThrow();
    assertEquals(claim.getMetadata().getName(), volume.getPersistentVolumeClaim().getClaimName());
    List<String> args = pod.getContainers().get(0).getArgs();
    CommandLine.ParseResult sub = new CommandLine(new OperatorCommand()).parseArgs(args.toArray(String[]::new)).subcommand();
    Path mounts = sub.matchedOptionValue("--backup-mounts", BackupMounts.IN_OPERATOR_IMAGE.root());
    VolumeMount mount = pod.getContainers().get(0).getVolumeMounts().stream()
        .filter(m -> m.getName().equals(volume.getName())).findFirst().orElseThrow();
    assertEquals(mounts.resolve(claim.getMetadata().getName()).toString(), mount.getMountPath());
    assertEquals(10001L, pod.getSecurityContext().getFsGroup(), "the non-root operator can write the volume");
  }

  @Test
  void theRoleGrantsOnlyWhatTheOperatorUses() throws IOException {
    Role role = load(DIR.resolve("10-rbac.yaml")).stream().filter(Role.class::isInstance).map(Role.class::cast).findFirst().orElseThrow();
    List<String> rules = role.getRules().stream()
        .map(r -> String.join(",", r.getResources()) + ":" + String.join(",", r.getVerbs())).toList();
    assertEquals(List.of("vkvclusters:get,list,watch", "vkvclusters/status:update", "pods:get,list,watch,create,delete",
        "persistentvolumeclaims:get,list,create,delete,patch", "services:get,create", "poddisruptionbudgets:get,create",
        "secrets:get,create", "leases:get,create,update"), rules);
  }

  private List<HasMetadata> load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return client.load(in).items();
    }
  }

  private static List<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }
}
