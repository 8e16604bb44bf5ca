package io.vkv.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The whole document: what the user wants ({@code spec}) and what the controller last saw ({@code status}), in the
 * shape of a Kubernetes custom resource so that the same YAML serves the single-host mode and the CRD. On Kubernetes
 * it is read from {@code backend.kubernetes.VkvClusterResource}, fabric8's envelope around the same spec and status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VkvCluster(String apiVersion, String kind, Metadata metadata, ClusterSpec spec, ClusterStatus status) {
  public static final String API_VERSION = "vkv.io/v1alpha1";
  public static final String KIND = "VkvCluster";

  /** The resource's name; every member is named {@code <name>-<n>}. */
  public record Metadata(String name) {}

  public String name() {
    return metadata == null ? null : metadata.name();
  }
}
