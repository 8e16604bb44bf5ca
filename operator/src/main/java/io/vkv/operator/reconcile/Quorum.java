package io.vkv.operator.reconcile;

/** Majorities: the one rule every removal is checked against. */
final class Quorum {
  private Quorum() {}

  static int of(int voters) {
    return voters / 2 + 1;
  }

  /**
   * Whether removing a member keeps a working majority: the voters left must have a quorum of healthy ones, and at
   * least one voter must be left. Removing a learner or an unhealthy voter never lowers the healthy count.
   */
  static boolean canRemove(int voters, int healthyVoters, boolean removedIsVoter, boolean removedIsHealthy) {
    int votersAfter = voters - (removedIsVoter ? 1 : 0);
    int healthyAfter = healthyVoters - (removedIsVoter && removedIsHealthy ? 1 : 0);
    return votersAfter >= 1 && healthyAfter >= of(votersAfter);
  }
}
