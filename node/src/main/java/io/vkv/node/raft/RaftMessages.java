package io.vkv.node.raft;

import com.google.protobuf.ByteString;
import io.vkv.api.internal.RaftEntry;
import io.vkv.api.internal.RaftMessage;
import io.vkv.api.internal.RaftSnapshot;
import io.vkv.consensus.ConfState;
import io.vkv.consensus.Entry;
import io.vkv.consensus.Message;
import io.vkv.consensus.MessageType;
import io.vkv.consensus.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;

/** Converts the consensus core's messages to and from their wire form in peer.proto, field for field. */
public final class RaftMessages {

  public static RaftMessage toWire(Message m) {
    RaftMessage.Builder b = RaftMessage.newBuilder()
        .setType(m.type().code)
        .setFrom(m.from())
        .setTo(m.to())
        .setTerm(m.term())
        .setLogTerm(m.logTerm())
        .setIndex(m.index())
        .setCommit(m.commit())
        .setReject(m.reject())
        .setRejectHint(m.rejectHint());
    for (Entry e : m.entries()) b.addEntries(toWire(e));
    if (m.snapshot() != null) b.setSnapshot(toWire(m.snapshot()));
    if (m.context().length > 0) b.setContext(ByteString.copyFrom(m.context()));
    return b.build();
  }

  public static Message fromWire(RaftMessage w) {
    List<Entry> entries = new ArrayList<>(w.getEntriesCount());
    for (RaftEntry e : w.getEntriesList()) entries.add(fromWire(e));
    return Message.builder(MessageType.of(w.getType()))
        .from(w.getFrom())
        .to(w.getTo())
        .term(w.getTerm())
        .logTerm(w.getLogTerm())
        .index(w.getIndex())
        .entries(entries)
        .commit(w.getCommit())
        .reject(w.getReject())
        .rejectHint(w.getRejectHint())
        .snapshot(w.hasSnapshot() ? fromWire(w.getSnapshot()) : null)
        .context(w.getContext().toByteArray())
        .build();
  }

  static RaftEntry toWire(Entry e) {
    return RaftEntry.newBuilder().setIndex(e.index()).setTerm(e.term()).setType(e.type().code)
        .setData(ByteString.copyFrom(e.data())).build();
  }

  static Entry fromWire(RaftEntry e) {
    return new Entry(e.getIndex(), e.getTerm(), Entry.Type.of(e.getType()), e.getData().toByteArray());
  }

  static RaftSnapshot toWire(SnapshotMeta s) {
    return RaftSnapshot.newBuilder().setIndex(s.index()).setTerm(s.term()).addAllVoters(s.voters())
        .addAllLearners(s.learners()).setData(ByteString.copyFrom(s.data())).build();
  }

  static SnapshotMeta fromWire(RaftSnapshot s) {
    return new SnapshotMeta(s.getIndex(), s.getTerm(), s.getVotersList(), s.getLearnersList(),
        s.getData().toByteArray());
  }

  /**
   * The data of a WAL snapshot record: a RaftSnapshot holding the membership (voters, learners) and, in its data
   * field, the id of the member that owns the WAL (8 bytes, big-endian), as etcd keeps it in its WAL metadata.
   */
  static byte[] encodeMembers(ConfState cs, long localId) {
    return RaftSnapshot.newBuilder().addAllVoters(cs.voters()).addAllLearners(cs.learners())
        .setData(ByteString.copyFrom(java.nio.ByteBuffer.allocate(8).putLong(localId).array())).build().toByteArray();
  }

  static RaftSnapshot decodeMembers(byte[] data) {
    try {
      return RaftSnapshot.parseFrom(data);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("WAL snapshot record does not hold a membership: " + e.getMessage(), e);
    }
  }

  static ConfState decodeConfState(byte[] data) {
    RaftSnapshot s = decodeMembers(data);
    return new ConfState(s.getVotersList(), s.getLearnersList());
  }

  /** The owner's member id in a WAL snapshot record, 0 if none is recorded. */
  static long decodeLocalId(byte[] data) {
    if (data.length == 0) return 0;
    ByteString id = decodeMembers(data).getData();
    return id.size() == 8 ? id.asReadOnlyByteBuffer().getLong() : 0;
  }

  private RaftMessages() {}
}
