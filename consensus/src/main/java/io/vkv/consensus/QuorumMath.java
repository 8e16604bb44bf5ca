package io.vkv.consensus;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/** Majority-quorum arithmetic as pure functions over voter sets. */
final class QuorumMath {
  private QuorumMath() {}

  enum VoteResult { PENDING, LOST, WON }

  /**
   * The largest index acknowledged by a majority of {@code voters}: sort the match indexes
   * descending and take the one at position n/2. Voters absent from {@code match} count as 0.
   * An empty voter set commits nothing.
   */
  static long committedIndex(Collection<Long> voters, Map<Long, Long> match) {
    int n = voters.size();
    if (n == 0) {
      return 0;
    }
    long[] m = new long[n];
    int i = 0;
    for (long v : voters) {
      m[i++] = match.getOrDefault(v, 0L);
    }
    Arrays.sort(m);
    // Ascending: the (n/2+1)-th largest is at n - (n/2 + 1).
    return m[n - (n / 2 + 1)];
  }

  /** Outcome of an election given the votes received so far (true = granted). */
  static VoteResult voteResult(Collection<Long> voters, Map<Long, Boolean> votes) {
    int granted = 0;
    int rejected = 0;
    for (long v : voters) {
      Boolean b = votes.get(v);
      if (b == null) {
        continue;
      }
      if (b) {
        granted++;
      } else {
        rejected++;
      }
    }
    int q = voters.size() / 2 + 1;
    if (granted >= q) {
      return VoteResult.WON;
    }
    if (voters.size() - rejected < q) {
      return VoteResult.LOST;
    }
    return VoteResult.PENDING;
  }

  /** Whether the voters for which {@code active} holds form a majority. */
  static boolean isQuorum(Collection<Long> voters, java.util.function.LongPredicate active) {
    int n = 0;
    for (long v : voters) {
      if (active.test(v)) {
        n++;
      }
    }
    return n >= voters.size() / 2 + 1;
  }
}
