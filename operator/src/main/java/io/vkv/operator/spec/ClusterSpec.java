package io.vkv.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;

/**
 * What the user declares. Absent optional sections take etcd's defaults (see docs/operator.md).
 *
 * @param size     the number of voting members wanted (1 or more)
 * @param version  which vkv build runs the members: {@code current} (the operator's default build), else a path to a
 *                 vkv jar (single host) or a container image (Kubernetes)
 * @param storage  where members keep their data
 * @param member   flags every member is started with
 * @param heal     when a member counts as lost
 * @param backup   the backup policy, or none
 * @param restore  build the cluster from this backup when it is first created
 * @param tls      TLS on the client and peer ports, or none (plain text)
 * @param auth     etcd auth with a root user, or none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterSpec(Integer size, String version, StorageSpec storage, MemberFlags member, HealPolicy heal,
                          BackupPolicy backup, RestoreSpec restore, TlsSpec tls, AuthSpec auth) {

  public int sizeOrDefault() {
    return size == null ? 1 : size;
  }

  public String versionOrDefault() {
    return version == null || version.isBlank() ? "current" : version;
  }

  public MemberFlags memberOrDefault() {
    return member == null ? new MemberFlags(null, null, null, null) : member;
  }

  public HealPolicy healOrDefault() {
    return heal == null ? new HealPolicy(null) : heal;
  }

  /**
   * Where data lives. Single host: {@code dataRoot} holds one directory per member. Kubernetes: each member gets a
   * PersistentVolumeClaim of {@code size} (a quantity such as {@code 1Gi}) in {@code storageClassName} (the
   * cluster's default class when absent).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StorageSpec(String dataRoot, String size, String storageClassName) {}

  /** etcd's member flags; null keeps etcd's default. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MemberFlags(Integer heartbeatInterval, Integer electionTimeout, Long quotaBackendBytes, Long snapshotCount) {}

  /** A member unhealthy for longer than {@code unhealthyAfter} is replaced (default 60s). */
  public record HealPolicy(String unhealthyAfter) {
    public Duration unhealthyAfterOrDefault() {
      return unhealthyAfter == null ? Duration.ofSeconds(60) : Durations.parse(unhealthyAfter);
    }
  }

  /**
   * Snapshots every {@code interval} into {@code directory}; beyond {@code maxBackups} the oldest are deleted.
   * Without {@code maxBackups} nothing is ever deleted. On Kubernetes {@code directory} is a path inside the
   * PersistentVolumeClaim {@code volumeClaim} (mounted into the operator's Pod); a single host ignores
   * {@code volumeClaim}.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BackupPolicy(String interval, Integer maxBackups, String directory, String volumeClaim) {
    public Duration intervalOrNull() {
      return interval == null ? null : Durations.parse(interval);
    }
  }

  /** The backup file name (in the backup directory) a new cluster is built from. */
  public record RestoreSpec(String backupName) {}

  /**
   * TLS for the members' client and peer ports. A side with a secret uses its certificate; with {@code autoTls} a
   * side without one gets a certificate the operator issues from a CA it keeps for the cluster. A secret is a
   * directory on a single host (relative to the spec file) or a Secret's name on Kubernetes, holding {@code tls.crt},
   * {@code tls.key} and {@code ca.crt} (the CA the other side's certificates must chain to).
   *
   * @param clientCertAuth clients must present a certificate from the client side's CA ({@code --client-cert-auth})
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TlsSpec(Boolean autoTls, String clientSecret, String peerSecret, Boolean clientCertAuth) {
    public boolean auto() {
      return Boolean.TRUE.equals(autoTls);
    }

    public boolean clientTls() {
      return clientSecret != null || auto();
    }

    public boolean peerTls() {
      return peerSecret != null || auto();
    }

    public boolean requireClientCerts() {
      return Boolean.TRUE.equals(clientCertAuth);
    }
  }

  /**
   * etcd auth, enabled by the operator once the first member runs, with user root's password from
   * {@code rootPasswordSecret}: a file on a single host (relative to the spec file; its first line), a Secret's name
   * on Kubernetes.
   */
  public record AuthSpec(String rootPasswordSecret) {}
}
