package io.vkv.consensus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Membership plus the leader's per-peer {@link Progress} and a candidate's votes. Invariant:
 * {@code progress.keySet() == voters ∪ learners} and {@code voters ∩ learners == ∅}. Sorted
 * collections keep iteration (and so message order) deterministic.
 */
final class ProgressTracker {
  final TreeSet<Long> voters = new TreeSet<>();
  final TreeSet<Long> learners = new TreeSet<>();
  final TreeMap<Long, Progress> progress = new TreeMap<>();
  /** Votes received in the current (pre-)election; true = granted. */
  final Map<Long, Boolean> votes = new HashMap<>();
  private final int maxInflight;
  private final long maxInflightBytes;

  ProgressTracker(int maxInflight, long maxInflightBytes) {
    this.maxInflight = maxInflight;
    this.maxInflightBytes = maxInflightBytes;
  }

  /** Replaces the membership, e.g. from a snapshot; all progress restarts at {@code next}. */
  void reset(ConfState cs, long next) {
    voters.clear();
    learners.clear();
    progress.clear();
    for (long v : cs.voters()) {
      voters.add(v);
      progress.put(v, newProgress(next, false));
    }
    for (long l : cs.learners()) {
      if (!voters.contains(l)) {
        learners.add(l);
        progress.put(l, newProgress(next, true));
      }
    }
  }

  /** Fresh progress for every peer (new term): match unknown, next optimistic. */
  void resetProgress(long next) {
    progress.replaceAll((id, p) -> newProgress(next, p.learner));
  }

  private Progress newProgress(long next, boolean learner) {
    return new Progress(next, learner, maxInflight, maxInflightBytes);
  }

  /**
   * Applies a single-member change. New peers start probing at {@code next} and count as
   * recently active, so CheckQuorum does not depose the leader before they could answer; a
   * promoted or demoted peer keeps its progress (match, state, in-flight window).
   */
  void apply(ConfChange cc, long next) {
    long id = cc.nodeId();
    if (id == 0) {
      return; // rejected by the application at apply time: a no-op
    }
    Progress old = progress.get(id);
    switch (cc.type()) {
      case ADD_VOTER -> {
        learners.remove(id);
        voters.add(id);
        progress.put(id, old == null ? added(next, false) : old.copyAs(false));
      }
      case ADD_LEARNER -> {
        voters.remove(id);
        learners.add(id);
        progress.put(id, old == null ? added(next, true) : old.copyAs(true));
      }
      case REMOVE -> {
        voters.remove(id);
        learners.remove(id);
        progress.remove(id);
        votes.remove(id);
      }
      case UPDATE -> { } // peer URLs are the node's business
    }
  }

  private Progress added(long next, boolean learner) {
    Progress p = newProgress(next, learner);
    p.recentActive = true;
    return p;
  }

  /** Whether applying {@code cc} would leave no voter at all (refused by the leader). */
  boolean leavesNoVoter(ConfChange cc) {
    boolean demotes = cc.type() == ConfChange.Type.REMOVE || cc.type() == ConfChange.Type.ADD_LEARNER;
    return demotes && voters.size() == 1 && voters.contains(cc.nodeId());
  }

  ConfState confState() {
    return new ConfState(List.copyOf(voters), List.copyOf(learners));
  }

  Progress get(long id) {
    return progress.get(id);
  }

  boolean isVoter(long id) {
    return voters.contains(id);
  }

  /** Largest index durable on a majority of voters. */
  long committed() {
    Map<Long, Long> match = new HashMap<>();
    progress.forEach((id, p) -> match.put(id, p.match));
    return QuorumMath.committedIndex(voters, match);
  }

  void resetVotes() {
    votes.clear();
  }

  void recordVote(long id, boolean granted) {
    votes.putIfAbsent(id, granted);
  }

  QuorumMath.VoteResult voteResult() {
    return QuorumMath.voteResult(voters, votes);
  }

  /** Whether a majority of voters (counting {@code self}) was recently active. */
  boolean quorumActive(long self) {
    return QuorumMath.isQuorum(voters, v -> {
      Progress p = progress.get(v);
      return v == self || (p != null && p.recentActive);
    });
  }

  /** Starts a new CheckQuorum round: everyone but {@code self} must prove activity again. */
  void clearRecentActive(long self) {
    progress.forEach((id, p) -> p.recentActive = id == self);
  }

  /** Peers other than {@code self}, in id order. */
  List<Long> peers(long self) {
    List<Long> out = new ArrayList<>(progress.keySet());
    out.remove(self);
    return out;
  }

  SortedMap<Long, Progress> view() {
    return progress;
  }
}
