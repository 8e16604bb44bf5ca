package io.vkv.operator.spec;

/** The checks every platform makes on a spec; each backend adds its own (a data root, a volume size). */
public final class SpecRules {
  private SpecRules() {}

  /** Throws {@link IllegalArgumentException} naming {@code where} and the field at fault. */
  public static void check(VkvCluster c, String where) {
    if (c.name() == null || !c.name().matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
      throw new IllegalArgumentException(where + ": metadata.name must be a DNS label (lower case, digits, '-')");
    }
    if (c.spec() == null) throw new IllegalArgumentException(where + ": spec is missing");
    if (c.spec().sizeOrDefault() < 1) throw new IllegalArgumentException(where + ": spec.size must be at least 1");
    ClusterSpec.BackupPolicy b = c.spec().backup();
    if (b != null && b.directory() == null) throw new IllegalArgumentException(where + ": spec.backup.directory is required");
    if (b != null && b.maxBackups() != null && b.maxBackups() < 1) {
      throw new IllegalArgumentException(where + ": spec.backup.maxBackups must be at least 1 (leave it out to keep every backup)");
    }
    if (c.spec().restore() != null && b == null) {
      throw new IllegalArgumentException(where + ": spec.restore needs spec.backup.directory to find the backup in");
    }
    ClusterSpec.TlsSpec tls = c.spec().tls();
    if (tls != null && !tls.clientTls() && !tls.peerTls()) {
      throw new IllegalArgumentException(where + ": spec.tls needs autoTls: true, a clientSecret or a peerSecret");
    }
    if (tls != null && tls.requireClientCerts() && !tls.clientTls()) {
      throw new IllegalArgumentException(where + ": spec.tls.clientCertAuth needs TLS on the client side (autoTls or clientSecret)");
    }
    ClusterSpec.AuthSpec auth = c.spec().auth();
    if (auth != null && (auth.rootPasswordSecret() == null || auth.rootPasswordSecret().isBlank())) {
      throw new IllegalArgumentException(where + ": spec.auth.rootPasswordSecret is required");
    }
    if (b != null && b.interval() != null) b.intervalOrNull();
    c.spec().healOrDefault().unhealthyAfterOrDefault();
  }
}
