package io.vkv.operator.backend.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checked-in CRD is the one generated from {@link VkvClusterResource}: a change to the spec model without
 * regenerating it fails here. Regenerate with {@code -Dvkv.writeCrd=true} (the test then writes the file and checks it).
 */
class CrdFileTest {
  static final Path CRD = Path.of("../deploy/kubernetes/00-crd.yaml");

  @TempDir Path dir;

  @Test
  void theCheckedInCrdIsTheGeneratedOne() throws IOException {
    new CRDGenerator().customResourceClasses(VkvClusterResource.class).forCRDVersions("v1").inOutputDir(dir.toFile()).generate();
    Path generated = dir.resolve(CRDGenerator.getOutputName("vkvclusters.vkv.io", "v1") + ".yml");
    String text = Files.readString(generated);
    if (Boolean.getBoolean("vkv.writeCrd")) Files.writeString(CRD, text);
    assertEquals(text, Files.readString(CRD), CRD + " is stale: regenerate it with -Dvkv.writeCrd=true");
  }

  @Test
  void theCrdDescribesTheSpecAndAStatusSubresource() throws IOException {
    CustomResourceDefinition crd;
    try (InputStream in = Files.newInputStream(CRD)) {
      crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
    assertEquals("vkvclusters.vkv.io", crd.getMetadata().getName());
    assertEquals("vkv.io", crd.getSpec().getGroup());
    assertEquals("Namespaced", crd.getSpec().getScope());
    assertEquals("VkvCluster", crd.getSpec().getNames().getKind());
    var version = crd.getSpec().getVersions().get(0);
    assertEquals("v1alpha1", version.getName());
    assertNotNull(version.getSubresources().getStatus(), "status is a subresource");
    JSONSchemaProps spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    assertEquals("integer", spec.getProperties().get("size").getType());
    assertEquals("string", spec.getProperties().get("version").getType());
    JSONSchemaProps storage = spec.getProperties().get("storage");
    assertTrue(storage.getProperties().keySet().containsAll(java.util.List.of("size", "storageClassName", "dataRoot")));
    JSONSchemaProps status = version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
    assertTrue(status.getProperties().keySet().containsAll(java.util.List.of("phase", "members", "leader", "conditions")));
  }
}
