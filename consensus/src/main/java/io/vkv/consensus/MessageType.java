package io.vkv.consensus;

/**
 * Message kinds. {@link #code} is the wire value of {@code RaftMessage.type}; local kinds never
 * leave the node (RawNode rejects them from {@code step}).
 */
public enum MessageType {
  /** Local: start an election (tick timeout or campaign). */
  HUP(0, true),
  /** Local: leader heartbeat tick. */
  BEAT(1, true),
  /** Proposal; local, or forwarded from a follower to the leader. */
  PROP(2, false),
  APP(3, false),
  APP_RESP(4, false),
  VOTE(5, false),
  VOTE_RESP(6, false),
  SNAP(7, false),
  HEARTBEAT(8, false),
  HEARTBEAT_RESP(9, false),
  /** Local: leader checks a quorum was active during the last election timeout. */
  CHECK_QUORUM(10, true),
  /** Leadership transfer request; {@code from} is the transferee (as in etcd). */
  TRANSFER_LEADER(11, false),
  /** Leader tells the transferee to campaign now, ignoring leases. */
  TIMEOUT_NOW(12, false),
  READ_INDEX(13, false),
  READ_INDEX_RESP(14, false),
  PRE_VOTE(15, false),
  PRE_VOTE_RESP(16, false);

  public final int code;
  public final boolean local;

  MessageType(int code, boolean local) {
    this.code = code;
    this.local = local;
  }

  public static MessageType of(int code) {
    for (MessageType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown message type " + code);
  }

  /** The response kind for a vote request. */
  MessageType voteResponse() {
    return this == PRE_VOTE ? PRE_VOTE_RESP : VOTE_RESP;
  }
}
