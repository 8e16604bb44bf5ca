package io.vkv.consensus;

import java.util.List;

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

  @Override
  public String toString() {
    return "voters=" + voters + (learners.isEmpty() ? "" : " learners=" + learners);
  }
}
