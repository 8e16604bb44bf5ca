package io.vkv.operator.backend.kubernetes;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/** Test support on fabric8's mock API server (CRUD mode): the checked-in CRD installed, VkvClusters created. */
final class MockApi {
  private MockApi() {}

  /** Installs deploy/kubernetes/00-crd.yaml, so the mock treats {@code status} as a subresource as a real server does. */
  static void installCrd(KubernetesClient client) throws IOException {
    try (InputStream in = Files.newInputStream(CrdFileTest.CRD)) {
      client.resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).create();
    }
  }

  static VkvClusterResource create(KubernetesClient client, String yaml) {
    VkvClusterResource r = Serialization.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
        VkvClusterResource.class);
    return client.resources(VkvClusterResource.class).inNamespace(client.getNamespace()).resource(r).create();
  }

  static String cluster(String name, int size, String extraSpec) {
    return "apiVersion: vkv.io/v1alpha1\nkind: VkvCluster\nmetadata: {name: " + name + "}\nspec:\n  size: " + size
        + "\n  version: registry.example/vkv:0.1.0\n  storage: {size: 2Gi, storageClassName: fast}\n" + extraSpec;
  }
}
