package io.vkv.consensus;

import java.util.Map;

/**
 * A snapshot of a node's Raft state for monitoring and tests.
 *
 * @param progress per-peer replication progress; empty unless this node is the leader
 * @param config the membership the core currently uses (its tracker): the last applied conf
 *     change, or the membership of a snapshot received (even if not yet installed)
 * @param isLearner whether this node is a learner in {@code config}
 */
public record Status(long id, long term, long vote, long leader, SoftState.Role role,
    long commit, long applied, long lastIndex, Map<Long, Peer> progress, ConfState config,
    boolean isLearner) {

  /** Whether this node is a voter in {@link #config} (false for learners and removed nodes). */
  public boolean isVoter() {
    return config.isVoter(id);
  }

  /** The leader's view of one peer. */
  public record Peer(long match, long next, Progress.State state, boolean learner) {
    @Override
    public String toString() {
      return state + " match=" + match + " next=" + next + (learner ? " learner" : "");
    }
  }
}
