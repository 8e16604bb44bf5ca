package io.vkv.operator.backend.kubernetes;

import io.vkv.operator.spec.SpecRules;
import io.vkv.operator.spec.VkvCluster;
import java.util.regex.Pattern;

/** The checks a spec must pass on Kubernetes, on top of {@link SpecRules}. */
final class KubernetesSpecRules {
  /** A storage request: a whole or decimal number, optionally with a binary or decimal suffix. */
  private static final Pattern QUANTITY = Pattern.compile("([1-9][0-9]*|[0-9]+\\.[0-9]*[1-9][0-9]*)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");

  private KubernetesSpecRules() {}

  static void check(VkvCluster c, String where) {
    SpecRules.check(c, where);
    if (c.spec().tls() != null) {
      throw new IllegalArgumentException(where + ": spec.tls is not implemented on Kubernetes yet (single host only)");
    }
    if (c.spec().auth() != null) {
      throw new IllegalArgumentException(where + ": spec.auth is not implemented on Kubernetes yet (single host only)");
    }
    if (c.spec().backup() != null) {
      throw new IllegalArgumentException(where + ": spec.backup is not implemented on Kubernetes yet (single host only)");
    }
    if (c.spec().restore() != null) {
      throw new IllegalArgumentException(where + ": spec.restore is not implemented on Kubernetes yet (single host only)");
    }
    String size = c.spec().storage() == null ? null : c.spec().storage().size();
    if (size != null && !QUANTITY.matcher(size).matches()) {
      throw new IllegalArgumentException(where + ": spec.storage.size must be a positive quantity such as 1Gi or 500Mi, not " + size);
    }
  }
}
