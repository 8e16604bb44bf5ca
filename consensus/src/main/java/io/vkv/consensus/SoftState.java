package io.vkv.consensus;

/** Volatile state the application may want to observe; never needs persisting. */
public record SoftState(long leader, Role role) {
  public enum Role { FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER }

  @Override
  public String toString() {
    return "Lead:" + leader + " State:" + role;
  }
}
