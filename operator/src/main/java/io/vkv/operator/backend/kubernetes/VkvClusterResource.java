package io.vkv.operator.backend.kubernetes;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.vkv.operator.spec.ClusterSpec;
import io.vkv.operator.spec.ClusterStatus;
import io.vkv.operator.spec.VkvCluster;

/**
 * The {@code VkvCluster} custom resource: the same {@link ClusterSpec} and {@link ClusterStatus} the single-host spec
 * file carries, in fabric8's envelope (metadata with namespace and uid, the status as a subresource). The CRD in
 * {@code deploy/kubernetes/} is generated from this class.
 */
@Group("vkv.io")
@Version("v1alpha1")
@Kind(VkvCluster.KIND)
@Plural("vkvclusters")
@ShortNames("vkv")
public class VkvClusterResource extends CustomResource<ClusterSpec, ClusterStatus> implements Namespaced {

  /** The document the reconciler works on: name, spec and the last status. */
  public VkvCluster toDocument() {
    return new VkvCluster(VkvCluster.API_VERSION, VkvCluster.KIND, new VkvCluster.Metadata(getMetadata().getName()),
        getSpec(), getStatus());
  }
}
