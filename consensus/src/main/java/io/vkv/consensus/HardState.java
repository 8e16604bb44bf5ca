package io.vkv.consensus;

/**
 * What must be durable before any message in {@link Ready#messagesAfterPersist()} is sent:
 * the current term, the vote cast in it (0 = none) and the commit index.
 */
public record HardState(long term, long vote, long commit) {
  public static final HardState EMPTY = new HardState(0, 0, 0);

  public boolean isEmpty() {
    return equals(EMPTY);
  }

  @Override
  public String toString() {
    return "Term:" + term + " Vote:" + vote + " Commit:" + commit;
  }
}
