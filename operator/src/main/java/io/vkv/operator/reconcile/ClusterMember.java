package io.vkv.operator.reconcile;

/** A member as the cluster's MemberList shows it; {@code name} is empty until the member has started once. */
public record ClusterMember(long id, String name, String peerUrl, boolean learner) {

  public String hexId() {
    return Long.toHexString(id);
  }
}
