package io.vkv.consensus;

import java.util.List;

/**
 * One Raft message, field for field the {@code RaftMessage} of peer.proto.
 *
 * <p>Field meanings by type: APP carries {@code index}/{@code logTerm} of the entry preceding
 * {@code entries}, and the leader's {@code commit}. APP_RESP carries the follower's last matching
 * index in {@code index}; on {@code reject}, {@code index} is the rejected prev index and
 * {@code rejectHint}/{@code logTerm} the follower's hint (its largest index whose term is at most
 * the leader's logTerm, and that term) for fast backtracking. VOTE/PRE_VOTE carry the candidate's
 * last {@code index}/{@code logTerm}. HEARTBEAT and READ_INDEX carry the read {@code context}.
 */
public record Message(MessageType type, long from, long to, long term, long logTerm, long index,
    List<Entry> entries, long commit, boolean reject, long rejectHint, SnapshotMeta snapshot,
    byte[] context) {

  /** Context of a VOTE sent because of leader transfer: voters then ignore their lease. */
  static final byte[] TRANSFER_CONTEXT = "transfer".getBytes();

  public Message {
    entries = entries == null ? List.of() : List.copyOf(entries);
    context = context == null ? Bytes.EMPTY : context;
  }

  public static Builder builder(MessageType type) {
    return new Builder(type);
  }

  public Builder toBuilder() {
    return new Builder(type).from(from).to(to).term(term).logTerm(logTerm).index(index)
        .entries(entries).commit(commit).reject(reject).rejectHint(rejectHint)
        .snapshot(snapshot).context(context);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(from).append("->").append(to).append(' ').append(type).append(" Term:").append(term);
    switch (type) {
      case APP, VOTE, PRE_VOTE, SNAP -> sb.append(" Log:").append(logTerm).append('/').append(index);
      case APP_RESP, READ_INDEX_RESP -> sb.append(" Index:").append(index);
      default -> { }
    }
    if (commit != 0) {
      sb.append(" Commit:").append(commit);
    }
    if (reject) {
      sb.append(" Rejected (Hint: ").append(rejectHint).append('/').append(logTerm).append(')');
    }
    if (!entries.isEmpty()) {
      sb.append(" Entries:").append(entries);
    }
    if (snapshot != null) {
      sb.append(" Snapshot:[").append(snapshot).append(']');
    }
    if (context.length > 0) {
      sb.append(" Ctx:").append(Bytes.show(context));
    }
    return sb.toString();
  }

  /** Mutable builder so call sites name only the fields they set. */
  public static final class Builder {
    private final MessageType type;
    private long from;
    private long to;
    private long term;
    private long logTerm;
    private long index;
    private List<Entry> entries = List.of();
    private long commit;
    private boolean reject;
    private long rejectHint;
    private SnapshotMeta snapshot;
    private byte[] context = Bytes.EMPTY;

    Builder(MessageType type) {
      this.type = type;
    }

    public Builder from(long v) { from = v; return this; }
    public Builder to(long v) { to = v; return this; }
    public Builder term(long v) { term = v; return this; }
    public Builder logTerm(long v) { logTerm = v; return this; }
    public Builder index(long v) { index = v; return this; }
    public Builder entries(List<Entry> v) { entries = v; return this; }
    public Builder commit(long v) { commit = v; return this; }
    public Builder reject(boolean v) { reject = v; return this; }
    public Builder rejectHint(long v) { rejectHint = v; return this; }
    public Builder snapshot(SnapshotMeta v) { snapshot = v; return this; }
    public Builder context(byte[] v) { context = v; return this; }

    public Message build() {
      return new Message(type, from, to, term, logTerm, index, entries, commit, reject,
          rejectHint, snapshot, context);
    }
  }
}
