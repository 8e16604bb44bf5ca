package io.vkv.operator.backend.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vkv.operator.backend.Backend;
import io.vkv.operator.backup.BackupStore;
import io.vkv.operator.backup.VkvSnapshotStatus;
import io.vkv.operator.cluster.ClusterAccess;
import io.vkv.operator.spec.ClusterSpec;
import io.vkv.operator.spec.VkvCluster;
import java.io.IOException;
import java.net.HttpURLConnection;

/**
 * The Kubernetes backend for one VkvCluster resource (its uid is the owner of everything created). Each pass makes
 * sure the cluster's shared objects exist (Services, PodDisruptionBudget), so one deleted by hand comes back.
 * Backups go to {@code spec.backup.directory} inside the claim {@code spec.backup.volumeClaim}, which the operator's
 * Pod has mounted ({@link BackupMounts}); the same claim is mounted read-only into a restored first member.
 */
public final class KubernetesBackend implements Backend {
  private final KubernetesClient client;
  private final Owner owner;
  private final MemberImages images;
  private final BackupMounts mounts;

  public KubernetesBackend(KubernetesClient client, VkvClusterResource resource, MemberImages images, BackupMounts mounts) {
    this.client = client;
    this.owner = Owner.of(resource);
    this.images = images;
    this.mounts = mounts;
  }

  @Override
  public KubernetesPlatform platform(VkvCluster cluster) {
    ClusterObjects shared = new ClusterObjects(owner, new MemberAddresses(owner.name(), owner.namespace()));
    createIfMissing(shared.peerService());
    createIfMissing(shared.clientService());
    createIfMissing(shared.disruptionBudget());
    return new KubernetesPlatform(client, owner, cluster.spec().storage(), images::image, cluster.spec().backup(), tls(cluster));
  }

  /**
   * Each pass: the autoTls Secrets issued when missing, every Secret the spec names checked for its keys (a missing
   * one fails the pass with its name, before any Pod would mount it), and what the operator needs to dial the members.
   */
  @Override
  public ClusterAccess access(VkvCluster cluster) throws IOException {
    TlsSecrets tls = tls(cluster);
    ClusterSpec.AuthSpec auth = cluster.spec().auth();
    if (tls == TlsSecrets.NONE && auth == null) return ClusterAccess.plainText();
    ClusterSecrets secrets = new ClusterSecrets(client, owner, tls, SecretFiles.root());
    ClusterSpec.TlsSpec spec = cluster.spec().tls();
    if (spec != null && spec.auto()) secrets.issueMissing(spec.clientSecret() == null, spec.peerSecret() == null);
    secrets.checkTls();
    return secrets.access(auth == null ? null : auth.rootPasswordSecret());
  }

  private static TlsSecrets tls(VkvCluster cluster) {
    return TlsSecrets.of(cluster.spec().tls(), cluster.name());
  }

  @Override
  public BackupStore backups(VkvCluster cluster) {
    ClusterSpec.BackupPolicy b = cluster.spec().backup();
    if (b == null) return null;
    return BackupStore.onVolume(mounts.volume(b.volumeClaim()), b.directory(), cluster.name(), new VkvSnapshotStatus(mounts.vkvJar()));
  }

  private void createIfMissing(HasMetadata object) {
    if (client.resource(object).get() != null) return;
    try {
      client.resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) throw e;
    }
  }
}
