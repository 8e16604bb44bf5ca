package io.vkv.operator.reconcile;

import io.vkv.operator.spec.ClusterStatus;

/** Members are named {@code <cluster>-<n>}; a new member takes a number above every one ever used, so no name comes back. */
final class MemberNames {
  private MemberNames() {}

  static String next(String cluster, ObservedState o, ClusterStatus status) {
    return cluster + "-" + (highest(cluster, o, status) + 1);
  }

  /** The highest number seen on the platform, in the cluster or (for members long gone) in the status. */
  static int highest(String cluster, ObservedState o, ClusterStatus status) {
    int max = status == null || status.highestMemberNumber() == null ? 0 : status.highestMemberNumber();
    for (PlatformMember p : o.platform()) max = Math.max(max, ordinal(cluster, p.name()));
    if (o.cluster() != null) for (ClusterMember m : o.cluster()) max = Math.max(max, ordinal(cluster, m.name()));
    return max;
  }

  static int ordinal(String cluster, String name) {
    if (name == null || !name.startsWith(cluster + "-")) return 0;
    try {
      return Integer.parseInt(name.substring(cluster.length() + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
