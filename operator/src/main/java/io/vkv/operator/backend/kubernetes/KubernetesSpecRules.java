package io.vkv.operator.backend.kubernetes;

import io.vkv.operator.spec.ClusterSpec;
import io.vkv.operator.spec.SpecRules;
import io.vkv.operator.spec.VkvCluster;
import java.util.regex.Pattern;

/** The checks a spec must pass on Kubernetes, on top of {@link SpecRules}. */
final class KubernetesSpecRules {
  /** A storage request: a whole or decimal number, optionally with a binary or decimal suffix. */
  private static final Pattern QUANTITY = Pattern.compile("([1-9][0-9]*|[0-9]+\\.[0-9]*[1-9][0-9]*)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");

  /** A PersistentVolumeClaim's (or Secret's) name: a DNS subdomain. */
  private static final Pattern CLAIM = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private KubernetesSpecRules() {}

  /** Relative, and never climbing out of the claim: the same path is used by the operator and by a member's Pod. */
  private static boolean insideTheVolume(String dir) {
    if (dir == null || dir.isEmpty() || dir.startsWith("/")) return false;
    for (String part : dir.split("/")) if (part.equals("..")) return false;
    return true;
  }

  /** A Secret's name is a DNS subdomain, like a claim's; null: the field is not set. */
  private static void secretName(String name, String field, String where) {
    if (name != null && !CLAIM.matcher(name).matches()) {
      throw new IllegalArgumentException(where + ": " + field + " must name a Secret in the cluster's namespace, not " + name);
    }
  }

  static void check(VkvCluster c, String where) {
    SpecRules.check(c, where);
    ClusterSpec.TlsSpec tls = c.spec().tls();
    if (tls != null) {
      secretName(tls.clientSecret(), "spec.tls.clientSecret", where);
      secretName(tls.peerSecret(), "spec.tls.peerSecret", where);
    }
    if (c.spec().auth() != null) secretName(c.spec().auth().rootPasswordSecret(), "spec.auth.rootPasswordSecret", where);
    ClusterSpec.BackupPolicy b = c.spec().backup();
    if (b != null && (b.volumeClaim() == null || !CLAIM.matcher(b.volumeClaim()).matches())) {
      throw new IllegalArgumentException(where + ": spec.backup.volumeClaim must name the PersistentVolumeClaim backups go to"
          + " (mounted into the operator's Pod; see docs/operator.md)");
    }
    if (b != null && !insideTheVolume(b.directory())) {
      throw new IllegalArgumentException(where + ": spec.backup.directory must be a relative path inside the claim, not " + b.directory());
    }
    String backupName = c.spec().restore() == null ? null : c.spec().restore().backupName();
    if (c.spec().restore() != null && (backupName == null || backupName.contains("/") || backupName.startsWith("."))) {
      throw new IllegalArgumentException(where + ": spec.restore.backupName must be a backup's file name in spec.backup.directory");
    }
    String size = c.spec().storage() == null ? null : c.spec().storage().size();
    if (size != null && !QUANTITY.matcher(size).matches()) {
      throw new IllegalArgumentException(where + ": spec.storage.size must be a positive quantity such as 1Gi or 500Mi, not " + size);
    }
  }
}
