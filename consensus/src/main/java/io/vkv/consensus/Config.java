package io.vkv.consensus;

/**
 * Immutable configuration of one node's Raft core.
 *
 * @param id this node's id, never 0 (0 means "none")
 * @param electionTicks ticks without hearing from a leader before campaigning; the actual
 *     timeout is drawn uniformly from [electionTicks, 2*electionTicks)
 * @param heartbeatTicks leader heartbeat interval, in ticks; must be < electionTicks
 * @param maxSizePerMsg byte limit of the entries in one APP message (at least one entry is sent)
 * @param maxInflightMsgs APP messages a replicating leader may have unacknowledged per follower
 * @param preVote run a pre-election first, so a partitioned node cannot disrupt with term bumps
 * @param checkQuorum leader steps down without an active quorum; followers honour a leader lease
 * @param seed seeds this node's election-timeout randomness (deterministic replay)
 * @param applied index the application has already applied (0 = snapshot index)
 */
public record Config(long id, int electionTicks, int heartbeatTicks, long maxSizePerMsg,
    int maxInflightMsgs, boolean preVote, boolean checkQuorum, long seed, long applied) {

  public Config {
    if (id == 0) {
      throw new IllegalArgumentException("id must not be 0");
    }
    if (heartbeatTicks <= 0 || electionTicks <= heartbeatTicks) {
      throw new IllegalArgumentException("need 0 < heartbeatTicks < electionTicks");
    }
    if (maxInflightMsgs <= 0 || maxSizePerMsg <= 0) {
      throw new IllegalArgumentException("maxInflightMsgs and maxSizePerMsg must be positive");
    }
  }

  /** etcd-like defaults: 10/1 ticks, 1 MiB messages, 256 in flight, PreVote and CheckQuorum on. */
  public static Config defaults(long id) {
    return new Config(id, 10, 1, 1 << 20, 256, true, true, id, 0);
  }

  public Config withPreVote(boolean v) {
    return new Config(id, electionTicks, heartbeatTicks, maxSizePerMsg, maxInflightMsgs, v,
        checkQuorum, seed, applied);
  }

  public Config withCheckQuorum(boolean v) {
    return new Config(id, electionTicks, heartbeatTicks, maxSizePerMsg, maxInflightMsgs, preVote,
        v, seed, applied);
  }

  public Config withSeed(long v) {
    return new Config(id, electionTicks, heartbeatTicks, maxSizePerMsg, maxInflightMsgs, preVote,
        checkQuorum, v, applied);
  }

  public Config withApplied(long v) {
    return new Config(id, electionTicks, heartbeatTicks, maxSizePerMsg, maxInflightMsgs, preVote,
        checkQuorum, seed, v);
  }

  public Config withLimits(long maxSize, int maxInflight) {
    return new Config(id, electionTicks, heartbeatTicks, maxSize, maxInflight, preVote,
        checkQuorum, seed, applied);
  }
}
