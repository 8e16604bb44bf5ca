package io.vkv.operator.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one pass of the controller saw, gathered before deciding: the platform's members, the cluster's
 * membership as one healthy member reports it ({@code null} when no member answers), each running member's health
 * by name, the backups on disk, and (when the spec has auth) whether the cluster has auth on: null when not asked
 * or the question failed, with {@code authError} saying why. The decision is a pure function of this, the spec and
 * the last status.
 */
public record ObservedState(Instant now, List<PlatformMember> platform, List<ClusterMember> cluster, long leaderId,
                            Map<String, MemberHealth> health, List<BackupFile> backups, Boolean authEnabled,
                            String authError) {

  /** A state in which auth was not looked at. */
  public ObservedState(Instant now, List<PlatformMember> platform, List<ClusterMember> cluster, long leaderId,
                       Map<String, MemberHealth> health, List<BackupFile> backups) {
    this(now, platform, cluster, leaderId, health, backups, null, null);
  }

  /** The same state with what was seen of auth. */
  public ObservedState withAuth(Boolean enabled, String error) {
    return new ObservedState(now, platform, cluster, leaderId, health, backups, enabled, error);
  }

  public boolean clusterReachable() {
    return cluster != null;
  }

  public boolean healthy(String name) {
    MemberHealth h = health.get(name);
    return h != null && h.healthy();
  }

  public ClusterMember clusterMemberOf(PlatformMember p) {
    if (cluster == null) return null;
    for (ClusterMember m : cluster) if (m.peerUrl().equals(p.peerUrl())) return m;
    return null;
  }

  public PlatformMember platformMemberOf(ClusterMember m) {
    for (PlatformMember p : platform) if (p.peerUrl().equals(m.peerUrl())) return p;
    return null;
  }
}
