package io.vkv.consensus;

import static io.vkv.consensus.MessageType.*;

import io.vkv.consensus.SoftState.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * The leader side of {@link Raft}: proposals, replication with flow control, commitment,
 * ReadIndex, leadership transfer and membership changes. Shares the Raft's state; only
 * consulted while {@code raft.role == LEADER}.
 */
final class Leader {
  private final Raft r;

  Leader(Raft r) {
    this.r = r;
  }

  boolean step(Message m) {
    switch (m.type()) {
      case BEAT -> bcastHeartbeat(r.readOnly.lastPendingContext());
      case CHECK_QUORUM -> {
        if (r.tracker.isVoter(r.id) && !r.tracker.quorumActive(r.id)) {
          // (a removed leader keeps handing over instead: stepping down could strand a voter
          // that still counts it, see afterConfChange)
          r.becomeFollower(r.term, 0); // no majority heard from: our lease has lapsed
        } else {
          r.tracker.clearRecentActive(r.id);
        }
      }
      case PROP -> {
        return propose(m.entries());
      }
      case READ_INDEX -> {
        if (!r.tracker.isVoter(r.id)) {
          return false; // removed or demoted: only handing over
        }
        readIndex(m);
      }
      case APP_RESP -> appendResponse(m);
      case HEARTBEAT_RESP -> heartbeatResponse(m);
      case TRANSFER_LEADER -> transfer(m.from());
      default -> { }
    }
    return true;
  }

  // ---- proposals --------------------------------------------------------------------------

  /**
   * Appends a batch of proposals. A conf change that cannot be accepted — another one is still
   * pending (proposed and not yet applied; a new leader counts everything up to its no-op as
   * pending), it would leave no voter, or its node id is 0 — is replaced by an empty NORMAL
   * entry so the rest of the batch goes through, as etcd-raft does. Returns false, appending
   * nothing, when the whole batch is refused: this node is no longer in the configuration, a
   * leadership transfer is in progress, or the batch held only refused conf changes (the case
   * of {@link RawNode#proposeConfChange} on the leader).
   */
  private boolean propose(List<Entry> ents) {
    if (ents.isEmpty() || r.tracker.get(r.id) == null || r.leadTransferee != 0) {
      return false;
    }
    List<Entry> out = new ArrayList<>(ents.size());
    boolean confAccepted = false;
    boolean anyAccepted = false;
    for (Entry e : ents) {
      if (e.type() == Entry.Type.CONF_CHANGE) {
        boolean ok = !confAccepted && r.pendingConfIndex <= r.log.applied;
        if (ok) {
          ConfChange cc;
          try {
            cc = ConfChange.decode(e.data());
          } catch (IllegalArgumentException ex) {
            cc = null;
          }
          ok = cc != null && cc.nodeId() != 0 && !r.tracker.leavesNoVoter(cc);
        }
        if (!ok) {
          out.add(Entry.normal(0, 0, Bytes.EMPTY)); // refused: keeps the batch's shape
          continue;
        }
        confAccepted = true;
      }
      anyAccepted = true;
      out.add(e);
    }
    if (!anyAccepted) {
      return false;
    }
    appendEntries(out);
    bcastAppend();
    return true;
  }

  /** Stamps entries with our term and the next indexes, and appends them (not yet durable). */
  void appendEntries(List<Entry> ents) {
    long li = r.log.lastIndex();
    List<Entry> stamped = new ArrayList<>(ents.size());
    for (Entry e : ents) {
      Entry s = e.withIndexTerm(++li, r.term);
      stamped.add(s);
      if (s.type() == Entry.Type.CONF_CHANGE) {
        r.pendingConfIndex = s.index();
      }
    }
    r.log.append(stamped);
  }

  /** Our own log is durable up to {@code index} (thesis §10.2.1: counted only once on disk). */
  void selfDurable(long index) {
    Progress self = r.tracker.get(r.id);
    if (self != null && self.maybeUpdate(index) && maybeCommit()) {
      bcastAppend();
    }
  }

  // ---- commitment -------------------------------------------------------------------------

  /** Advances commit to the quorum match, but only for an entry of our term (§5.4.2). */
  boolean maybeCommit() {
    long mci = r.tracker.committed();
    if (mci <= r.log.committed || r.log.termOrZero(mci) != r.term) {
      return false;
    }
    r.log.commitTo(mci);
    List<Message> waiting = r.pendingReadIndexMessages;
    r.pendingReadIndexMessages = new ArrayList<>();
    waiting.forEach(this::readIndex);
    return true;
  }

  // ---- replication ------------------------------------------------------------------------

  void bcastAppend() {
    for (long p : r.tracker.peers(r.id)) {
      sendAppend(p, true);
    }
  }

  /**
   * Sends the next APP to {@code to} unless flow control pauses it; an empty APP only if
   * {@code sendIfEmpty} (probing, or carrying the commit index). Falls back to a snapshot when
   * the needed entries are compacted. Returns whether something was sent.
   */
  boolean sendAppend(long to, boolean sendIfEmpty) {
    Progress pr = r.tracker.get(to);
    if (pr == null || pr.isPaused()) {
      return false;
    }
    long prevIndex = pr.next - 1;
    long prevTerm;
    List<Entry> ents;
    try {
      prevTerm = r.log.term(prevIndex);
      ents = r.log.entries(pr.next, r.cfg.maxSizePerMsg());
    } catch (Storage.CompactedException e) {
      return sendSnapshot(to, pr);
    }
    if (ents.isEmpty() && !sendIfEmpty) {
      return false;
    }
    r.send(r.msg(APP, to).index(prevIndex).logTerm(prevTerm).entries(ents)
        .commit(r.log.committed).build());
    long bytes = 0;
    for (Entry e : ents) {
      bytes += e.size();
    }
    pr.sentEntries(ents.isEmpty() ? prevIndex : ents.get(ents.size() - 1).index(), bytes, ents.size());
    return true;
  }

  private boolean sendSnapshot(long to, Progress pr) {
    if (!pr.recentActive) {
      return false; // don't ship a snapshot to a peer that may be down
    }
    SnapshotMeta s = r.log.snapshot();
    pr.becomeSnapshot(s.index());
    r.send(r.msg(SNAP, to).snapshot(s).build());
    return true;
  }

  private void appendResponse(Message m) {
    Progress pr = r.tracker.get(m.from());
    if (pr == null) {
      return;
    }
    pr.recentActive = true;
    if (m.reject()) {
      long hint = m.rejectHint();
      if (m.logTerm() > 0) {
        // Skip every entry of a term the follower cannot have (fast backtracking).
        hint = r.log.findConflictByTerm(m.rejectHint(), m.logTerm());
      }
      if (pr.maybeDecrTo(m.index(), hint)) {
        if (pr.state == Progress.State.REPLICATE) {
          pr.becomeProbe();
        }
        sendAppend(m.from(), true);
      }
      return;
    }
    boolean wasPaused = pr.isPaused();
    if (!pr.maybeUpdate(m.index())) {
      return;
    }
    switch (pr.state) {
      case PROBE -> pr.becomeReplicate();
      case SNAPSHOT -> {
        if (pr.match >= pr.pendingSnapshot) {
          pr.becomeProbe();
          pr.becomeReplicate();
        }
      }
      case REPLICATE -> pr.inflights.freeLE(m.index());
    }
    if (maybeCommit()) {
      bcastAppend();
    } else if (wasPaused) {
      sendAppend(m.from(), true);
    }
    while (sendAppend(m.from(), false)) {
      // stream while the in-flight window allows
    }
    if (m.from() == r.leadTransferee && pr.match == r.log.lastIndex()) {
      r.send(r.msg(TIMEOUT_NOW, m.from()).build());
    }
  }

  private void heartbeatResponse(Message m) {
    Progress pr = r.tracker.get(m.from());
    if (pr == null) {
      return;
    }
    pr.recentActive = true;
    pr.probeSent = false;
    if (pr.state == Progress.State.REPLICATE && pr.inflights.full()) {
      pr.inflights.freeFirstOne(); // the window may be full of lost APPs: let one more through
    }
    if (pr.match < r.log.lastIndex()) {
      sendAppend(m.from(), true);
    }
    if (m.context().length == 0) {
      return;
    }
    var acks = r.readOnly.ack(m.from(), m.context());
    if (QuorumMath.isQuorum(r.tracker.voters, acks::contains)) {
      for (ReadOnly.Pending p : r.readOnly.advance(m.context())) {
        respondRead(p.request(), p.index());
      }
    }
  }

  void bcastHeartbeat(byte[] ctx) {
    for (long p : r.tracker.peers(r.id)) {
      Progress pr = r.tracker.get(p);
      // Never tell a follower to commit beyond what it is known to hold.
      r.send(r.msg(HEARTBEAT, p).commit(Math.min(pr.match, r.log.committed)).context(ctx).build());
    }
  }

  /** Called by the application when a SNAP send finished (ok) or failed. */
  void reportSnapshot(long to, boolean ok) {
    Progress pr = r.tracker.get(to);
    if (pr == null || pr.state != Progress.State.SNAPSHOT) {
      return;
    }
    if (!ok) {
      pr.pendingSnapshot = 0;
    }
    pr.becomeProbe();
    pr.probeSent = true; // wait for the follower's answer (or a heartbeat) before probing
  }

  // ---- reads ------------------------------------------------------------------------------

  /** ReadIndex (thesis §6.4): record commit now, confirm leadership with a heartbeat round. */
  private void readIndex(Message m) {
    if (r.log.termOrZero(r.log.committed) != r.term) {
      r.pendingReadIndexMessages.add(m); // our commit index may be stale until our no-op commits
      return;
    }
    if (r.tracker.voters.size() == 1 && r.tracker.isVoter(r.id)) {
      respondRead(m, r.log.committed);
      return;
    }
    r.readOnly.add(r.log.committed, m);
    r.readOnly.ack(r.id, m.context());
    bcastHeartbeat(m.context());
  }

  private void respondRead(Message req, long index) {
    if (req.from() == 0 || req.from() == r.id) {
      r.readStates.add(new ReadState(index, req.context()));
    } else {
      r.send(r.msg(READ_INDEX_RESP, req.from()).index(index).context(req.context()).build());
    }
  }

  // ---- transfer and membership ------------------------------------------------------------

  /**
   * A leader that is no longer a voter transfers leadership to the most up-to-date voter (lowest
   * id on ties); it steps down when the successor's term reaches it (or CheckQuorum fails). An
   * unfinished transfer is retried every election timeout.
   */
  void handOver() {
    long best = 0;
    long bestMatch = -1;
    for (long v : r.tracker.voters) {
      Progress p = r.tracker.get(v);
      if (v != r.id && p.match > bestMatch) {
        best = v;
        bestMatch = p.match;
      }
    }
    if (best != 0) {
      r.leadTransferee = 0;
      transfer(best);
    }
  }

  private void transfer(long to) {
    Progress pr = r.tracker.get(to);
    if (pr == null || pr.learner || to == r.id || r.leadTransferee == to) {
      return;
    }
    r.electionElapsed = 0; // the transfer must finish within one election timeout
    r.leadTransferee = to;
    if (pr.match == r.log.lastIndex()) {
      r.send(r.msg(TIMEOUT_NOW, to).build());
    } else {
      sendAppend(to, true); // catch the transferee up first; TIMEOUT_NOW follows its ack
    }
  }

  void afterConfChange() {
    if (!r.tracker.isVoter(r.id)) {
      // Removed or demoted: keep leading only to hand over (no proposals or reads accepted).
      // Stepping down at once could strand the rest: a voter that missed the final commit index
      // may still count us in its configuration while our longer log refuses it our vote.
      maybeCommit();
      bcastAppend();
      handOver();
      return;
    }
    if (r.leadTransferee != 0 && !r.tracker.isVoter(r.leadTransferee)) {
      r.leadTransferee = 0;
    }
    // A smaller quorum may commit more; new peers need probing.
    maybeCommit();
    bcastAppend();
  }
}
