package io.vkv.operator.reconcile;

import io.vkv.operator.spec.ClusterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** Builds each member's {@link MemberLaunch} from the spec: pure, so the decisions that carry one stay testable. */
public final class Launches {
  private Launches() {}

  /** The first member: a cluster of one, with the cluster's name as its token. */
  public static MemberLaunch bootstrap(String clusterName, ClusterSpec spec, PlatformMember p) {
    return new MemberLaunch(p.name(), spec.versionOrDefault(), p.name() + "=" + p.peerUrl(), "new", clusterName, flags(spec));
  }

  /** A member joining (or rejoining) the running cluster: every started member, and itself. */
  static MemberLaunch join(String clusterName, ClusterSpec spec, PlatformMember p, List<ClusterMember> cluster, String version) {
    StringJoiner initial = new StringJoiner(",");
    for (ClusterMember m : cluster == null ? List.<ClusterMember>of() : cluster) {
      if (!m.name().isEmpty() && !m.name().equals(p.name())) initial.add(m.name() + "=" + m.peerUrl());
    }
    initial.add(p.name() + "=" + p.peerUrl());
    return new MemberLaunch(p.name(), version, initial.toString(), "existing", clusterName, flags(spec));
  }

  static List<String> flags(ClusterSpec spec) {
    ClusterSpec.MemberFlags f = spec.memberOrDefault();
    List<String> out = new ArrayList<>();
    if (f.heartbeatInterval() != null) out.add("--heartbeat-interval=" + f.heartbeatInterval());
    if (f.electionTimeout() != null) out.add("--election-timeout=" + f.electionTimeout());
    if (f.quotaBackendBytes() != null) out.add("--quota-backend-bytes=" + f.quotaBackendBytes());
    if (f.snapshotCount() != null) out.add("--snapshot-count=" + f.snapshotCount());
    return List.copyOf(out);
  }
}
