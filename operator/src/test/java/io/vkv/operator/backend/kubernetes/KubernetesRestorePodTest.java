package io.vkv.operator.backend.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vkv.operator.reconcile.MemberLaunch;
import io.vkv.operator.spec.VkvCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shape of a restored first member on fabric8's mock API server: the restore is recorded on its claim, its Pod
 * gets an init container (the member image) running {@code vkv snapshot restore} from the backup claim mounted
 * read-only, and an upgrade's new Pod no longer has it. The init container's script is run here with {@code sh} to
 * check that it restores only into an empty data directory (what makes a restarted Pod safe).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesRestorePodTest {
  private static final String IMAGE = "registry.example/vkv:0.1.0";
  private static final String BACKUP = "demo-20261206T224908193Z-r51.db";

  KubernetesClient client;
  @TempDir Path dir;
  private KubernetesPlatform platform;
  private Path snapshotSeenByOperator;
  private MemberLaunch launch;

  @BeforeEach
  void setUp() throws IOException {
    MockApi.installCrd(client);
    VkvClusterResource r = MockApi.create(client, MockApi.cluster("copy", 3,
        "  backup: {volumeClaim: vkv-backups, directory: clusters/demo}\n  restore: {backupName: " + BACKUP + "}\n"));
    VkvCluster doc = r.toDocument();
    KubernetesSpecRules.check(doc, "copy");
    BackupMounts mounts = new BackupMounts(dir, Path.of("/unused/vkv.jar"));
    KubernetesBackend backend = new KubernetesBackend(client, r, new MemberImages(IMAGE), mounts);
    platform = backend.platform(doc);
    snapshotSeenByOperator = backend.backups(doc).path(BACKUP);
    launch = new MemberLaunch("copy-1", "current", "copy-1=http://copy-1.copy-peers.test.svc:2380", "new", "copy", List.of());
  }

  @Test
  void aMissingBackupIsRefusedBeforeAnythingIsRecorded() throws IOException {
    platform.prepare("copy-1");
    IOException e = assertThrows(IOException.class, () -> platform.restore("copy-1", snapshotSeenByOperator, launch));
    assertTrue(e.getMessage().startsWith("no backup " + BACKUP + " in clusters/demo of claim vkv-backups"), e.getMessage());
    Map<String, String> notes = client.persistentVolumeClaims().withName("copy-1-data").get().getMetadata().getAnnotations();
    assertTrue(notes == null || !notes.containsKey(Labels.RESTORE_FROM), String.valueOf(notes));
  }

  @Test
  void theFirstPodRestoresFromTheBackupClaimAndAnUpgradedPodNoLonger() throws IOException {
    Files.createDirectories(snapshotSeenByOperator.getParent());
    Files.writeString(snapshotSeenByOperator, "a snapshot");
    assertEquals(dir.resolve("vkv-backups/clusters/demo/" + BACKUP), snapshotSeenByOperator, "the claim as mounted in the operator");
    platform.prepare("copy-1");
    platform.restore("copy-1", snapshotSeenByOperator, launch);
    platform.restore("copy-1", snapshotSeenByOperator, launch); // a repeated pass
    Map<String, String> notes = client.persistentVolumeClaims().withName("copy-1-data").get().getMetadata().getAnnotations();
    assertEquals("vkv-backups", notes.get(Labels.RESTORE_CLAIM));
    assertEquals("clusters/demo/" + BACKUP, notes.get(Labels.RESTORE_FROM));
    platform.start("copy-1", launch);

    Pod pod = client.pods().withName("copy-1").get();
    assertEquals(1, pod.getSpec().getInitContainers().size());
    Container init = pod.getSpec().getInitContainers().get(0);
    assertEquals("restore", init.getName());
    assertEquals(IMAGE, init.getImage(), "the member image, so the restore is the same vkv as the member");
    assertEquals(List.of("sh", "-c", MemberObjects.RESTORE_SCRIPT, "restore"), init.getCommand());
    assertEquals(List.of("/var/lib/vkv-backups/clusters/demo/" + BACKUP, "/var/lib/vkv/data", "--name=copy-1",
        "--initial-cluster=copy-1=http://copy-1.copy-peers.test.svc:2380", "--initial-cluster-token=copy",
        "--initial-advertise-peer-urls=" + new MemberAddresses("copy", client.getNamespace()).peerUrl("copy-1")), init.getArgs());
    assertEquals("/opt/vkv/vkv.jar", init.getEnv().get(0).getValue());
    assertEquals(Map.of("/var/lib/vkv", false, "/var/lib/vkv-backups", true), mounts(init.getVolumeMounts()));
    assertEquals(Map.of("/var/lib/vkv", false), mounts(pod.getSpec().getContainers().get(0).getVolumeMounts()),
        "vkv itself does not see the backups");
    Volume backups = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals("backups")).findFirst().orElseThrow();
    assertEquals("vkv-backups", backups.getPersistentVolumeClaim().getClaimName());
    assertTrue(backups.getPersistentVolumeClaim().getReadOnly());
    assertEquals("data", pod.getSpec().getVolumes().get(0).getName());

    String firstUid = pod.getMetadata().getUid();
    platform.stop("copy-1"); // an upgrade: the member has its data by now
    platform.start("copy-1", launch);
    Pod upgraded = client.pods().withName("copy-1").get();
    assertNotEquals(firstUid, upgraded.getMetadata().getUid());
    assertTrue(upgraded.getSpec().getInitContainers().isEmpty());
    assertEquals(List.of("data"), upgraded.getSpec().getVolumes().stream().map(Volume::getName).toList());
    assertNull(client.persistentVolumeClaims().withName("copy-1-data").get().getMetadata().getAnnotations().get(Labels.RESTORE_FROM));
  }

  @Test
  void aStartedMembersClaimIsNotMarkedForARestore() throws IOException {
    Files.createDirectories(snapshotSeenByOperator.getParent());
    Files.writeString(snapshotSeenByOperator, "a snapshot");
    platform.prepare("copy-1");
    platform.start("copy-1", launch);
    platform.restore("copy-1", snapshotSeenByOperator, launch);
    assertFalse(client.persistentVolumeClaims().withName("copy-1-data").get().getMetadata().getAnnotations()
        .containsKey(Labels.RESTORE_FROM));
  }

  /** The script itself: vkv runs only when the data directory is missing or empty, with the file and the flags. */
  @Test
  void theRestoreScriptRunsVkvOnlyIntoAnEmptyDataDirectory() throws Exception {
    Path fakeJar = dir.resolve("calls.txt");
    Path data = dir.resolve("volume/data");

    Script missing = script(data, fakeJar);
    assertEquals(0, missing.code, missing.output);
    assertEquals("-jar " + fakeJar + " snapshot restore /b/x.db --data-dir=" + data + " --name=m-1 --initial-cluster=m-1=u",
        Files.readString(fakeJar).strip(), "called with the file, the data directory and the flags, each one argument");

    Files.delete(fakeJar);
    Files.createDirectories(data);
    Script empty = script(data, fakeJar);
    assertEquals(0, empty.code, empty.output);
    assertTrue(Files.exists(fakeJar), "an empty directory (a fresh volume's) is restored into");

    Files.delete(fakeJar);
    Files.writeString(data.resolve("member"), "x");
    Script full = script(data, fakeJar);
    assertEquals(0, full.code, full.output);
    assertTrue(full.output.contains("is not empty; restore skipped"), full.output);
    assertFalse(Files.exists(fakeJar), "vkv was not run on a data directory that has data");
  }

  private record Script(int code, String output) {}

  /** Runs the script with a {@code java} on the PATH that records its arguments into {@code calls}. */
  private Script script(Path data, Path calls) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\necho \"$@\" > \"$VKV_JAR\"\n");
    assertTrue(java.toFile().setExecutable(true));
    List<String> cmd = new ArrayList<>(List.of("sh", "-c", MemberObjects.RESTORE_SCRIPT, "restore", "/b/x.db", data.toString(),
        "--name=m-1", "--initial-cluster=m-1=u"));
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
    b.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    b.environment().put("VKV_JAR", calls.toString());
    Process p = b.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return new Script(p.exitValue(), out);
  }

  private static Map<String, Boolean> mounts(List<VolumeMount> mounts) {
    Map<String, Boolean> out = new java.util.TreeMap<>();
    for (VolumeMount m : mounts) out.put(m.getMountPath(), Boolean.TRUE.equals(m.getReadOnly()));
    return out;
  }
}
