package io.vkv.node.apply;

/**
 * Where a write's time goes between the client call and its reply, stage by stage, as the node measures it
 * (exported at {@code /metrics}; docs/monitoring.md lists the names). Called from the Raft loop, the applier thread
 * and the client event loops, so implementations must be thread-safe and cheap.
 */
public interface WriteStages {
  /** The stages of one write, in the order a write passes them. */
  enum Stage {
    /** From the client thread's hand-off until the Raft loop proposes it. */
    INTAKE_WAIT,
    /** One Ready made durable: WAL append and fsync, including the hand-offs to and from the WAL writer. */
    PERSIST,
    /** From the Ready that carried an entry until the entry is known committed (leader: quorum durable). */
    COMMIT,
    /** From handing committed entries to the applier until it starts on them (waiting behind earlier batches). */
    APPLY_WAIT,
    /** One batch of committed entries applied to the store in one write transaction. */
    APPLY,
    /** From the applied result until the client's event loop runs its completion. */
    REPLY,
    /**
     * Not a write stage: a linearizable read from the Raft loop taking it until it may read the store (its ReadIndex
     * confirmed by a quorum's heartbeat answers, and the store applied up to that index).
     */
    READ_INDEX
  }

  WriteStages NONE = new WriteStages() {
    @Override
    public void record(Stage stage, long nanos) {}

    @Override
    public void peerRoundTrip(long peerId, long nanos) {}

    @Override
    public void entriesPerReady(int entries) {}
  };

  void record(Stage stage, long nanos);

  /** Leader: from sending entries to member {@code peerId} until it acknowledges them durable. */
  void peerRoundTrip(long peerId, long nanos);

  /** How many new entries one Ready carried (the batching the load achieved). */
  void entriesPerReady(int entries);
}
