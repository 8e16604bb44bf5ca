package io.vkv.operator.backend.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vkv.operator.controller.ClusterSource;
import io.vkv.operator.spec.ClusterStatus;
import io.vkv.operator.spec.VkvCluster;
import java.io.IOException;

/** One VkvCluster resource: read fresh on every pass, its status written through the status subresource. */
public final class KubernetesSource implements ClusterSource {
  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  public KubernetesSource(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  @Override
  public VkvCluster read() throws IOException {
    VkvCluster c = resource().toDocument();
    KubernetesSpecRules.check(c, "VkvCluster " + namespace + "/" + name);
    return c;
  }

  /**
   * Replaces the whole status (a merge patch could not clear {@code lastError}); read just before, so the only
   * conflict is with a write in between, and then the next pass writes again.
   */
  @Override
  public void writeStatus(ClusterStatus status) throws IOException {
    VkvClusterResource r = resource();
    r.setStatus(status);
    try {
      client.resources(VkvClusterResource.class).inNamespace(namespace).resource(r).updateStatus();
    } catch (KubernetesClientException e) {
      throw new IOException("writing the status of VkvCluster " + namespace + "/" + name + ": " + e.getMessage(), e);
    }
  }

  private VkvClusterResource resource() throws IOException {
    try {
      VkvClusterResource r = client.resources(VkvClusterResource.class).inNamespace(namespace).withName(name).get();
      if (r == null) throw new IOException("VkvCluster " + namespace + "/" + name + " is gone");
      return r;
    } catch (KubernetesClientException e) {
      throw new IOException("reading VkvCluster " + namespace + "/" + name + ": " + e.getMessage(), e);
    }
  }
}
