package io.vkv.node.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.internal.ClusterMembers;
import io.vkv.api.internal.ConfChangeContext;
import io.vkv.api.internal.InternalRequest;
import io.vkv.consensus.ConfChange;
import io.vkv.consensus.ConfState;
import io.vkv.consensus.Entry;
import io.vkv.consensus.RawNode;
import io.vkv.node.cluster.Membership;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * Membership changes on the Raft loop. A change is proposed with the member it concerns and a request id in its
 * context; once committed it is applied to the core, to this member's view of the cluster and (by the loop) to the
 * peer connections, and the store is handed the whole membership to record with the entry's index, so that a
 * restart or a snapshot carries it. The proposer's call completes when the store applied it. Loop thread only.
 */
final class MembershipChanges {
  private static final Logger LOG = Logger.getLogger(MembershipChanges.class.getName());

  private record Pending(CompletableFuture<Void> done, long deadlineNanos) {}

  private final Membership membership;
  private final long timeoutNanos;
  private final Map<Long, Pending> waiting = new HashMap<>();
  private boolean localRemoved;

  MembershipChanges(Membership membership, long timeoutNanos) {
    this.membership = membership;
    this.timeoutNanos = timeoutNanos;
  }

  /** Proposes a change; {@code done} fails at once if the core refuses it (no leader, another change pending). */
  void propose(RawNode node, boolean leaderKnown, ConfChange.Type type, Member member, long requestId,
               CompletableFuture<Void> done, long now) {
    byte[] context = ConfChangeContext.newBuilder().setRequestId(requestId).setMember(member).build().toByteArray();
    if (!node.proposeConfChange(new ConfChange(type, member.getID(), context))) {
      done.completeExceptionally((leaderKnown ? EtcdError.MEMBERSHIP_CHANGE_PENDING : EtcdError.NO_LEADER).exception());
      return;
    }
    waiting.put(requestId, new Pending(done, now + timeoutNanos));
  }

  /** The changes whose entry did not apply in time (a refused change is committed as an empty entry). */
  void expire(long now) {
    for (Iterator<Pending> it = waiting.values().iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (now - p.deadlineNanos() > 0) {
        it.remove();
        p.done().completeExceptionally(EtcdError.TIMEOUT.exception());
      }
    }
  }

  void failAll(RuntimeException cause) {
    waiting.values().forEach(p -> p.done().completeExceptionally(cause));
    waiting.clear();
  }

  /** The result of applying one Ready's committed entries. */
  record Applied(List<Entry> forStore, ConfState confState, List<CompletableFuture<Void>> completed, boolean changed) {}

  /**
   * Applies the committed membership changes among {@code committed} to the core and to this member's view; each
   * becomes, for the store, a normal entry recording the membership after it.
   */
  Applied apply(RawNode node, List<Entry> committed, ConfState confState) {
    List<Entry> out = null;
    List<CompletableFuture<Void>> completed = List.of();
    for (int i = 0; i < committed.size(); i++) {
      Entry e = committed.get(i);
      if (e.type() != Entry.Type.CONF_CHANGE) continue;
      if (out == null) {
        out = new ArrayList<>(committed);
        completed = new ArrayList<>();
      }
      ConfChange cc = ConfChange.decode(e.data());
      ConfChangeContext ctx = context(cc, e.index());
      confState = node.applyConfChange(e); // an UPDATE leaves voters and learners as they are
      ClusterMembers after = membership.afterChange(cc.type(), ctx.getMember().toBuilder().setID(cc.nodeId()).build());
      membership.replace(after);
      LOG.info(() -> String.format("applied membership change at index %d: %s %x; members now %s", e.index(),
          cc.type(), cc.nodeId(), membership.confState()));
      if (cc.type() == ConfChange.Type.REMOVE && cc.nodeId() == membership.localId()) localRemoved = true;
      Pending p = waiting.remove(ctx.getRequestId());
      if (p != null) completed.add(p.done());
      out.set(i, Entry.normal(e.index(), e.term(),
          InternalRequest.newBuilder().setClusterMembers(after).build().toByteArray()));
    }
    return out == null ? new Applied(committed, confState, List.of(), false)
        : new Applied(out, confState, completed, true);
  }

  /** Whether this member applied its own removal. */
  boolean localRemoved() {
    return localRemoved;
  }

  /**
   * Takes the membership a snapshot records (empty data: its store never applied a change, nothing to take). Must
   * run on the loop when the snapshot is handed to the store, before the entries committed after it change the
   * membership further (reading the store once the copy is installed would undo a promotion applied meanwhile).
   * Returns whether the membership was replaced.
   */
  boolean fromSnapshot(byte[] data) {
    if (data.length == 0) return false;
    ClusterMembers recorded;
    try {
      recorded = ClusterMembers.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a snapshot's membership record is unreadable", e);
    }
    membership.replace(recorded);
    long self = membership.localId();
    if (recorded.getMembersList().stream().noneMatch(m -> m.getID() == self) && recorded.getRemovedList().contains(self)) {
      localRemoved = true;
    }
    return true;
  }

  /** An entry written before changes carried a context (none was ever proposed with one) has an empty member. */
  private static ConfChangeContext context(ConfChange cc, long index) {
    try {
      return ConfChangeContext.parseFrom(cc.context());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("membership change at index " + index + " has an unreadable context", e);
    }
  }
}
