package io.vkv.operator.backend.kubernetes;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.vkv.operator.reconcile.MemberLaunch;
import io.vkv.operator.spec.ClusterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Pod and the PersistentVolumeClaim of one member, built from its {@link MemberLaunch}: pure, so what goes to
 * the API server can be read in a test. The member image's entrypoint is {@code java -jar vkv.jar}; the Pod passes
 * only vkv's flags.
 */
final class MemberObjects {
  /** Where the claim is mounted; the data directory is a subdirectory (a fresh volume may hold {@code lost+found}). */
  static final String VOLUME_PATH = "/var/lib/vkv";
  static final String DATA_DIR = VOLUME_PATH + "/data";
  static final String DEFAULT_STORAGE_SIZE = "1Gi";
  /** The member image's non-root user; the volume is made writable for its group. */
  static final long MEMBER_UID = 10001;

  private final Owner owner;
  private final MemberAddresses addresses;
  private final TlsSecrets tls;

  MemberObjects(Owner owner, MemberAddresses addresses) {
    this(owner, addresses, TlsSecrets.NONE);
  }

  /** {@code addresses} must say https on the sides {@code tls} has Secrets for. */
  MemberObjects(Owner owner, MemberAddresses addresses, TlsSecrets tls) {
    this.owner = owner;
    this.addresses = addresses;
    this.tls = tls;
  }

  static String claimName(String member) {
    return member + "-data";
  }

  PersistentVolumeClaim claim(String member, ClusterSpec.StorageSpec storage) {
    String size = storage == null || storage.size() == null ? DEFAULT_STORAGE_SIZE : storage.size();
    String storageClass = storage == null ? null : storage.storageClassName();
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(claimName(member)).withNamespace(owner.namespace())
        .withLabels(Labels.member(owner.name(), member)).withOwnerReferences(owner.reference()).endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(storageClass)
        .withNewResources().addToRequests("storage", new Quantity(size)).endResources().endSpec()
        .build();
  }

  /** A backup to restore before the first start: a claim, and the file's path inside it. */
  record Restore(String claim, String path) {}

  /** Where a restoring Pod mounts the backup claim (read-only). */
  static final String BACKUP_PATH = "/var/lib/vkv-backups";
  /** vkv's jar in the member image (its entrypoint runs it; the restore step names it). */
  static final String IMAGE_VKV_JAR = "/opt/vkv/vkv.jar";
  /**
   * The restore step, as {@code sh -c SCRIPT restore FILE DATA_DIR FLAGS...}: a data directory with anything in it was
   * restored (vkv's restore renames a complete directory into place) or started on already, so it is left alone and
   * a restarted Pod never restores twice. Paths and flags arrive as arguments, never spliced into the script.
   */
  static final String RESTORE_SCRIPT = "file=\"$1\"; data=\"$2\"; shift 2\n"
      + "if [ -n \"$(ls -A \"$data\" 2>/dev/null)\" ]; then echo \"vkv restore: $data is not empty; restore skipped\"; exit 0; fi\n"
      + "exec java -jar \"$VKV_JAR\" snapshot restore \"$file\" --data-dir=\"$data\" \"$@\"\n";

  Pod pod(String member, String image, MemberLaunch launch) {
    return pod(member, image, launch, null);
  }

  /** The member's Pod; with {@code restore}, an init container first seeds its empty data from the backup. */
  Pod pod(String member, String image, MemberLaunch launch, Restore restore) {
    Pod pod = withTls(new PodBuilder()
        .withNewMetadata().withName(member).withNamespace(owner.namespace())
        .withLabels(Labels.member(owner.name(), member)).withAnnotations(Map.of(Labels.VERSION, launch.version()))
        .withOwnerReferences(owner.reference()).endMetadata()
        .withNewSpec()
        // hostname + subdomain under the headless Service give the Pod its stable DNS name
        .withHostname(member).withSubdomain(addresses.peerService())
        .withRestartPolicy("Always")
        .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(MEMBER_UID).withRunAsGroup(MEMBER_UID)
        .withFsGroup(MEMBER_UID).endSecurityContext()
        .addNewContainer().withName("vkv").withImage(image).withArgs(args(member, launch))
        .addNewPort().withName("client").withContainerPort(MemberAddresses.CLIENT_PORT).endPort()
        .addNewPort().withName("peer").withContainerPort(MemberAddresses.PEER_PORT).endPort()
        .withReadinessProbe(probe("/readyz", 5, tls)).withLivenessProbe(probe("/livez", 30, tls))
        .addNewVolumeMount().withName("data").withMountPath(VOLUME_PATH).endVolumeMount()
        .endContainer()
        .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName(claimName(member)).endPersistentVolumeClaim()
        .endVolume()
        .endSpec()
        .build());
    if (restore == null) return pod;
    return new PodBuilder(pod).editSpec()
        .addNewInitContainer().withName("restore").withImage(image)
        .withCommand("sh", "-c", RESTORE_SCRIPT, "restore").withArgs(restoreArgs(member, launch, restore))
        .addNewEnv().withName("VKV_JAR").withValue(IMAGE_VKV_JAR).endEnv()
        .addNewVolumeMount().withName("data").withMountPath(VOLUME_PATH).endVolumeMount()
        .addNewVolumeMount().withName("backups").withMountPath(BACKUP_PATH).withReadOnly(true).endVolumeMount()
        .endInitContainer()
        .addNewVolume().withName("backups").withNewPersistentVolumeClaim().withClaimName(restore.claim()).withReadOnly(true)
        .endPersistentVolumeClaim().endVolume()
        .endSpec().build();
  }

  /** Each side's Secret as a read-only volume in the vkv container, where {@link TlsSecrets#flags} points. */
  private Pod withTls(Pod pod) {
    PodBuilder b = new PodBuilder(pod);
    if (tls.clientTls()) b = secretVolume(b, "client-tls", tls.client(), TlsSecrets.CLIENT_MOUNT);
    if (tls.peerTls()) b = secretVolume(b, "peer-tls", tls.peer(), TlsSecrets.PEER_MOUNT);
    return b.build();
  }

  private static PodBuilder secretVolume(PodBuilder b, String volume, String secret, String mount) {
    return b.editSpec()
        .editFirstContainer().addNewVolumeMount().withName(volume).withMountPath(mount).withReadOnly(true).endVolumeMount()
        .endContainer()
        .addNewVolume().withName(volume).withNewSecret().withSecretName(secret).withDefaultMode(0440).endSecret().endVolume()
        .endSpec();
  }

  /** The file, the data directory, then {@code vkv snapshot restore}'s flags for this member of a new cluster. */
  List<String> restoreArgs(String member, MemberLaunch launch, Restore restore) {
    return List.of(BACKUP_PATH + "/" + restore.path(), DATA_DIR, "--name=" + member,
        "--initial-cluster=" + launch.initialCluster(), "--initial-cluster-token=" + launch.token(),
        "--initial-advertise-peer-urls=" + addresses.peerUrl(member));
  }

  /** vkv's flags: the same ones the local backend passes, with the Pod's DNS names as its URLs. */
  List<String> args(String member, MemberLaunch launch) {
    List<String> args = new ArrayList<>(List.of("--name=" + member, "--data-dir=" + DATA_DIR,
        "--listen-client-urls=" + addresses.listenClientUrl(),
        "--advertise-client-urls=" + addresses.clientUrl(member),
        "--listen-peer-urls=" + addresses.listenPeerUrl(),
        "--initial-advertise-peer-urls=" + addresses.peerUrl(member),
        "--initial-cluster=" + launch.initialCluster(), "--initial-cluster-state=" + launch.clusterState(),
        "--initial-cluster-token=" + launch.token()));
    args.addAll(launch.flags());
    args.addAll(tls.flags());
    return args;
  }

  /**
   * An HTTP(S) probe on the client port; liveness waits longer at first (replaying a large log takes time). The
   * kubelet cannot present a client certificate, so with {@code clientCertAuth} (the handshake refuses it) the probe
   * only checks that the client port accepts connections.
   */
  private static Probe probe(String path, int initialDelaySeconds, TlsSecrets tls) {
    ProbeBuilder b = new ProbeBuilder();
    if (tls.clientCertAuth()) {
      b.withNewTcpSocket().withPort(new IntOrString("client")).endTcpSocket();
    } else {
      b.withNewHttpGet().withPath(path).withPort(new IntOrString("client")).withScheme(tls.clientTls() ? "HTTPS" : "HTTP").endHttpGet();
    }
    return b.withInitialDelaySeconds(initialDelaySeconds).withPeriodSeconds(10).withTimeoutSeconds(8).withFailureThreshold(3)
        .build();
  }
}
