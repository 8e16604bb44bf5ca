package io.vkv.operator.backend.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vkv.operator.backend.MemberPlatform;
import io.vkv.operator.reconcile.MemberLaunch;
import io.vkv.operator.reconcile.PlatformMember;
import io.vkv.operator.spec.ClusterSpec;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Members as Pods, each with its own PersistentVolumeClaim ({@code <member>-data}). The claim is the member's
 * reservation and its data: {@link #prepare} creates it, {@link #start} creates the Pod on it, {@link #stop} deletes
 * only the Pod, {@link #delete} both. What the platform knows of a member is read from these objects on every call;
 * nothing is kept in the operator.
 */
public final class KubernetesPlatform implements MemberPlatform {
  /** How long {@link #stop} and {@link #delete} wait for a Pod to be gone (its grace period, then some). */
  private static final long POD_GONE_TIMEOUT_S = 90;

  private final KubernetesClient client;
  private final Owner owner;
  private final MemberAddresses addresses;
  private final MemberObjects objects;
  private final ClusterSpec.StorageSpec storage;
  private final Function<String, String> images;
  private final ClusterSpec.BackupPolicy backup;

  /** {@code images} turns a {@code spec.version} into the image a Pod runs; {@code backup} is where restores read from. */
  KubernetesPlatform(KubernetesClient client, Owner owner, ClusterSpec.StorageSpec storage, Function<String, String> images,
                     ClusterSpec.BackupPolicy backup) {
    this(client, owner, storage, images, backup, TlsSecrets.NONE);
  }

  /** {@code tls}: the Secrets the members mount (their URLs are https on those sides). */
  KubernetesPlatform(KubernetesClient client, Owner owner, ClusterSpec.StorageSpec storage, Function<String, String> images,
                     ClusterSpec.BackupPolicy backup, TlsSecrets tls) {
    this.client = client;
    this.owner = owner;
    this.addresses = new MemberAddresses(owner.name(), owner.namespace(), tls.clientTls(), tls.peerTls());
    this.objects = new MemberObjects(owner, addresses, tls);
    this.storage = storage;
    this.images = images;
    this.backup = backup;
  }

  @Override
  public List<PlatformMember> list() throws IOException {
    return call(() -> {
      Map<String, Pod> pods = byMember(client.pods().inNamespace(owner.namespace())
          .withLabel(Labels.CLUSTER, owner.name()).list().getItems());
      Map<String, PersistentVolumeClaim> claims = byMember(client.persistentVolumeClaims().inNamespace(owner.namespace())
          .withLabel(Labels.CLUSTER, owner.name()).list().getItems());
      TreeMap<String, Boolean> names = new TreeMap<>();
      pods.keySet().forEach(n -> names.put(n, true));
      // a claim on its way out with no Pod left is no longer a member: listing it would only have it deleted again
      claims.forEach((n, c) -> { if (!terminating(c)) names.put(n, true); });
      List<PlatformMember> out = new ArrayList<>();
      for (String name : names.keySet()) out.add(member(name, pods.get(name), claims.get(name)));
      return out;
    });
  }

  @Override
  public PlatformMember prepare(String name) throws IOException {
    return call(() -> {
      if (claim(name) == null) refuseTlsChange();
      createOrGet(objects.claim(name, storage));
      return member(name, pod(name), claim(name));
    });
  }

  /**
   * The operator cannot write into a member's claim, so the restore is recorded on the claim and done by the Pod
   * itself: {@link #start} then gives it an init container that runs {@code vkv snapshot restore} from the backup
   * claim (read-only) into the still empty data directory. {@code snapshot} is the file as the operator sees it on
   * its own mount of that claim; it is checked here, so a misnamed backup fails now rather than in a Pod.
   */
  @Override
  public void restore(String name, Path snapshot, MemberLaunch launch) throws IOException {
    if (backup == null) throw new IOException("spec.restore needs spec.backup to find the backup in");
    if (!Files.isRegularFile(snapshot)) {
      throw new IOException("no backup " + snapshot.getFileName() + " in " + backup.directory() + " of claim " + backup.volumeClaim()
          + " (the operator reads it at " + snapshot + ")");
    }
    call(() -> {
      PersistentVolumeClaim claim = claim(name);
      if (claim == null) throw new IOException("member " + name + " was never prepared");
      if ("true".equals(annotation(claim, Labels.STARTED_ONCE))) return null; // started before: its data is its own
      String path = Path.of(backup.directory()).resolve(snapshot.getFileName()).normalize().toString();
      client.persistentVolumeClaims().inNamespace(owner.namespace()).withName(claim.getMetadata().getName())
          .edit(c -> new PersistentVolumeClaimBuilder(c).editMetadata()
              .addToAnnotations(Labels.RESTORE_CLAIM, backup.volumeClaim()).addToAnnotations(Labels.RESTORE_FROM, path)
              .endMetadata().build());
      return null;
    });
  }

  @Override
  public void start(String name, MemberLaunch launch) throws IOException {
    call(() -> {
      Pod pod = pod(name);
      if (pod != null && !terminating(pod)) return null;
      if (pod != null) throw new IOException("pod " + name + " is still terminating; it is started once it is gone");
      PersistentVolumeClaim claim = claim(name);
      if (claim == null || terminating(claim)) {
        throw new IOException("member " + name + " was never prepared (no claim " + MemberObjects.claimName(name) + ")");
      }
      refuseTlsChange();
      // the claim is marked first, then the Pod created: a crash between the two only repeats the start
      client.persistentVolumeClaims().inNamespace(owner.namespace()).withName(claim.getMetadata().getName())
          .edit(c -> new PersistentVolumeClaimBuilder(c).editMetadata()
              .addToAnnotations(Labels.STARTED_ONCE, "true").addToAnnotations(Labels.VERSION, launch.version())
              .endMetadata().build());
      MemberObjects.Restore restore = annotation(claim, Labels.RESTORE_FROM) == null ? null
          : new MemberObjects.Restore(annotation(claim, Labels.RESTORE_CLAIM), annotation(claim, Labels.RESTORE_FROM));
      createOrGet(objects.pod(name, images.apply(launch.version()), launch, restore));
      return null;
    });
  }

  @Override
  public void stop(String name) throws IOException {
    call(() -> {
      refuseTlsChange(); // an upgrade would stop the member, then find it cannot start it again
      deletePodAndWait(name);
      forgetRestore(name);
      return null;
    });
  }

  /**
   * Only an upgrade stops a member, and only once every member is healthy: a restored member has its data by then, so
   * its next Pod no longer needs the backup claim (which may be deleted, or attached elsewhere).
   */
  private void forgetRestore(String name) {
    PersistentVolumeClaim claim = claim(name);
    if (claim == null || annotation(claim, Labels.RESTORE_FROM) == null) return;
    client.persistentVolumeClaims().inNamespace(owner.namespace()).withName(claim.getMetadata().getName())
        .edit(c -> new PersistentVolumeClaimBuilder(c).editMetadata()
            .removeFromAnnotations(Labels.RESTORE_CLAIM).removeFromAnnotations(Labels.RESTORE_FROM).endMetadata().build());
  }

  @Override
  public void delete(String name) throws IOException {
    call(() -> {
      deletePodAndWait(name);
      client.persistentVolumeClaims().inNamespace(owner.namespace()).withName(MemberObjects.claimName(name)).delete();
      return null;
    });
  }

  /**
   * http or https is fixed when a cluster is created: a member added or restarted with the other scheme could not
   * talk to the rest (vkv cannot switch a running cluster between plain text and TLS), so it is refused before it
   * exists, and an upgrade after such a change is refused before it stops anything.
   */
  private void refuseTlsChange() throws IOException {
    for (Pod p : client.pods().inNamespace(owner.namespace()).withLabel(Labels.CLUSTER, owner.name()).list().getItems()) {
      List<String> args = p.getSpec().getContainers().get(0).getArgs();
      String member = p.getMetadata().getName();
      if (!args.contains("--advertise-client-urls=" + addresses.clientUrl(member))
          || !args.contains("--initial-advertise-peer-urls=" + addresses.peerUrl(member))) {
        throw new IOException("spec.tls does not match member " + member + " (http/https is fixed when a cluster is created;"
            + " vkv cannot switch a running cluster between plain text and TLS)");
      }
    }
  }

  /** The member's client URL as the operator reaches it (a DNS name inside the Kubernetes cluster). */
  public String clientUrl(String name) {
    return addresses.clientUrl(name);
  }

  private void deletePodAndWait(String name) {
    var pod = client.pods().inNamespace(owner.namespace()).withName(name);
    pod.delete();
    if (pod.get() != null) pod.waitUntilCondition(Objects::isNull, POD_GONE_TIMEOUT_S, TimeUnit.SECONDS);
  }

  /**
   * running: the Pod exists and is not going away (the kubelet restarts a crashed container itself); hasData: the
   * claim is there, usable and was started on; the version is the Pod's, else the one recorded on the claim.
   */
  private PlatformMember member(String name, Pod pod, PersistentVolumeClaim claim) {
    boolean running = pod != null && !terminating(pod) && !isFinished(pod);
    String claimPhase = claim == null || claim.getStatus() == null ? null : claim.getStatus().getPhase();
    boolean claimUsable = claim != null && !terminating(claim) && !"Lost".equals(claimPhase);
    boolean startedOnce = pod != null || claim != null && "true".equals(annotation(claim, Labels.STARTED_ONCE));
    String version = pod != null ? annotation(pod, Labels.VERSION) : claim == null ? null : annotation(claim, Labels.VERSION);
    return new PlatformMember(name, addresses.peerUrl(name), addresses.clientUrl(name), running, claimUsable && startedOnce,
        startedOnce, version);
  }

  private Pod pod(String name) {
    return client.pods().inNamespace(owner.namespace()).withName(name).get();
  }

  private PersistentVolumeClaim claim(String name) {
    return client.persistentVolumeClaims().inNamespace(owner.namespace()).withName(MemberObjects.claimName(name)).get();
  }

  /** Creates the object, or leaves the one already there: every platform call may be repeated. */
  private <T extends HasMetadata> void createOrGet(T object) {
    try {
      client.resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) throw e;
    }
  }

  private static <T extends HasMetadata> Map<String, T> byMember(List<T> items) {
    Map<String, T> out = new TreeMap<>();
    for (T item : items) {
      String member = item.getMetadata().getLabels() == null ? null : item.getMetadata().getLabels().get(Labels.MEMBER);
      if (member != null) out.put(member, item);
    }
    return out;
  }

  private static boolean terminating(HasMetadata o) {
    return o.getMetadata().getDeletionTimestamp() != null;
  }

  private static boolean isFinished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Failed".equals(phase) || "Succeeded".equals(phase);
  }

  private static String annotation(HasMetadata o, String key) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  private interface ApiCall<T> {
    T run() throws IOException;
  }

  /** The API server's refusals become IOExceptions: the controller reports them and decides again next pass. */
  private static <T> T call(ApiCall<T> c) throws IOException {
    try {
      return c.run();
    } catch (KubernetesClientException e) {
      throw new IOException("Kubernetes API: " + e.getMessage(), e);
    }
  }
}
