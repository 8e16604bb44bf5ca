package io.vkv.node.membership;

/**
 * How this member handles membership changes.
 *
 * @param strictReconfigCheck etcd's --strict-reconfig-check: refuse a change that could cost the cluster its quorum
 *     with the members that are started and connected now
 * @param autoPromoteLearners vkv's --experimental-auto-promote-learners: the leader promotes a learner as soon as it
 *     is in sync (etcd never shipped this)
 * @param maxLearners how many learners the cluster may have at once (etcd: 1)
 */
public record MembershipSettings(boolean strictReconfigCheck, boolean autoPromoteLearners, int maxLearners) {
  public static final MembershipSettings DEFAULT = new MembershipSettings(true, false, 1);
}
