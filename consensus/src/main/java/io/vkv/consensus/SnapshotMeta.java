package io.vkv.consensus;

import java.util.List;

/**
 * A snapshot: the state machine as of {@code index} (whose entry had {@code term}), the
 * membership at that index and the application's opaque serialized state in {@code data}.
 */
public record SnapshotMeta(long index, long term, List<Long> voters, List<Long> learners,
    byte[] data) {

  public SnapshotMeta {
    voters = List.copyOf(voters);
    learners = List.copyOf(learners);
    data = data == null ? Bytes.EMPTY : data;
  }

  public static SnapshotMeta of(long index, long term, ConfState cs, byte[] data) {
    return new SnapshotMeta(index, term, cs.voters(), cs.learners(), data);
  }

  public ConfState confState() {
    return new ConfState(voters, learners);
  }

  @Override
  public String toString() {
    return "snap " + index + "/" + term + " " + confState();
  }
}
