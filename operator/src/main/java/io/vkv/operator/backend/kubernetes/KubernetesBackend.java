package io.vkv.operator.backend.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vkv.operator.backend.Backend;
import io.vkv.operator.backup.BackupStore;
import io.vkv.operator.spec.VkvCluster;
import java.net.HttpURLConnection;

/**
 * The Kubernetes backend for one VkvCluster resource (its uid is the owner of everything created). Each pass makes
 * sure the cluster's shared objects exist (Services, PodDisruptionBudget), so one deleted by hand comes back.
 * Backups are not implemented here: {@link #backups} is null and a spec with {@code backup} or {@code restore} is
 * refused by {@link KubernetesSpecRules} before it gets this far.
 */
public final class KubernetesBackend implements Backend {
  private final KubernetesClient client;
  private final Owner owner;
  private final MemberImages images;

  public KubernetesBackend(KubernetesClient client, VkvClusterResource resource, MemberImages images) {
    this.client = client;
    this.owner = Owner.of(resource);
    this.images = images;
  }

  @Override
  public KubernetesPlatform platform(VkvCluster cluster) {
    ClusterObjects shared = new ClusterObjects(owner, new MemberAddresses(owner.name(), owner.namespace()));
    createIfMissing(shared.peerService());
    createIfMissing(shared.clientService());
    createIfMissing(shared.disruptionBudget());
    return new KubernetesPlatform(client, owner, cluster.spec().storage(), images::image);
  }

  @Override
  public BackupStore backups(VkvCluster cluster) {
    return null;
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
