package io.vkv.wal;

/** Raft's persistent per-member state: current term, vote in that term (0 = none), commit index. */
public record HardState(long term, long vote, long commit) {
  /** The state of a member that never voted nor committed. */
  public static final HardState EMPTY = new HardState(0, 0, 0);
}
