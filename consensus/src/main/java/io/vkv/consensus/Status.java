package io.vkv.consensus;

import java.util.Map;

/**
 * A snapshot of a node's Raft state for monitoring and tests.
 *
 * @param progress per-peer replication progress; empty unless this node is the leader
 */
public record Status(long id, long term, long vote, long leader, SoftState.Role role,
    long commit, long applied, long lastIndex, Map<Long, Peer> progress) {

  /** The leader's view of one peer. */
  public record Peer(long match, long next, Progress.State state, boolean learner) {
    @Override
    public String toString() {
      return state + " match=" + match + " next=" + next + (learner ? " learner" : "");
    }
  }
}
