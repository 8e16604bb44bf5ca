package io.vkv.operator.backend.kubernetes;

/**
 * {@code spec.version} on Kubernetes: {@code current} (or absent) is the operator's {@code --member-image}, anything
 * else is an image reference as the Pod's {@code image} takes it ({@code registry/vkv:0.2.0}).
 */
public record MemberImages(String defaultImage) {
  public String image(String version) {
    return version == null || version.isBlank() || version.equals("current") ? defaultImage : version;
  }
}
