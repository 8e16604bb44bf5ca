package io.vkv.operator.backend.kubernetes;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** The VkvCluster that owns every object the operator creates for it, so deleting the resource deletes them all. */
record Owner(String name, String namespace, String uid) {

  static Owner of(VkvClusterResource r) {
    return new Owner(r.getMetadata().getName(), r.getMetadata().getNamespace(), r.getMetadata().getUid());
  }

  OwnerReference reference() {
    return new OwnerReferenceBuilder().withApiVersion(io.vkv.operator.spec.VkvCluster.API_VERSION)
        .withKind(io.vkv.operator.spec.VkvCluster.KIND).withName(name).withUid(uid)
        .withController(true).withBlockOwnerDeletion(true).build();
  }
}
