package io.vkv.consensus;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Cluster membership: voters count towards quorums, learners only receive the log. */
public record ConfState(List<Long> voters, List<Long> learners) {
  public static final ConfState EMPTY = new ConfState(List.of(), List.of());

  public ConfState {
    voters = List.copyOf(voters);
    learners = List.copyOf(learners);
  }

  public static ConfState ofVoters(Long... ids) {
    return new ConfState(List.of(ids), List.of());
  }

  public boolean isVoter(long id) {
    return voters.contains(id);
  }

  public boolean isLearner(long id) {
    return learners.contains(id);
  }

  /** Voter or learner. */
  public boolean contains(long id) {
    return isVoter(id) || isLearner(id);
  }

  /**
   * The membership after {@code cc} (pure; ids come out sorted): ADD_VOTER adds or promotes,
   * ADD_LEARNER adds or demotes, REMOVE drops the id from both lists (a no-op if absent); a
   * change of node id 0 changes nothing.
   */
  public ConfState apply(ConfChange cc) {
    TreeSet<Long> v = new TreeSet<>(voters);
    TreeSet<Long> l = new TreeSet<>(learners);
    long id = cc.nodeId();
    if (id == 0) {
      return this; // a change rejected by the application at apply time (etcd: raft.None)
    }
    switch (cc.type()) {
      case ADD_VOTER -> {
        l.remove(id);
        v.add(id);
      }
      case ADD_LEARNER -> {
        v.remove(id);
        l.add(id);
      }
      case REMOVE -> {
        v.remove(id);
        l.remove(id);
      }
      case UPDATE -> { } // peer URLs are the node's business
    }
    return new ConfState(new ArrayList<>(v), new ArrayList<>(l));
  }

  @Override
  public String toString() {
    return "voters=" + voters + (learners.isEmpty() ? "" : " learners=" + learners);
  }
}
