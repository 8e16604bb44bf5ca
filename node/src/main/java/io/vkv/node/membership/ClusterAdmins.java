package io.vkv.node.membership;

import io.vertx.core.Vertx;
import io.vkv.api.internal.MemberAttributes;
import io.vkv.node.NodeConfig;
import io.vkv.node.cluster.Membership;
import io.vkv.node.raft.RaftProposer;
import java.util.List;
import java.util.function.Supplier;

/** Wires a member's {@link ClusterAdmin}: the hand-off to the leader, and the auto-promotion timer when asked for. */
public final class ClusterAdmins {
  public static ClusterAdmin start(Vertx vertx, NodeConfig config, Membership membership, RaftProposer proposer,
                                   Supplier<List<MemberAttributes>> published, Runnable onPromoted) {
    ClusterAdmin admin = new ClusterAdmin(membership, proposer, published, config.membership(), onPromoted);
    // etcd's request timeout: 5 s plus two election timeouts
    admin.leaderCalls(new LeaderCalls(vertx, proposer, admin, 5_000 + 2 * config.electionTimeoutMs()));
    if (config.membership().autoPromoteLearners()) {
      vertx.setPeriodic(config.electionTimeoutMs(), t -> admin.promoteReadyLearners());
    }
    return admin;
  }

  private ClusterAdmins() {}
}
