package io.vkv.consensus;

import static io.vkv.consensus.MessageType.*;

import io.vkv.consensus.SoftState.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The Raft state machine: terms, roles, elections and the follower side of replication. The
 * leader side lives in {@link Leader}. Outputs are only appended to {@link #msgs},
 * {@link #msgsAfterPersist} and {@link #readStates}; {@link RawNode} hands them out.
 */
final class Raft {
  final long id;
  final Config cfg;
  final RaftLog log;
  final ProgressTracker tracker;
  final ReadOnly readOnly = new ReadOnly();
  final Leader leader = new Leader(this);
  private final SplittableRandom random;

  /** Current term; persisted (HardState). Never decreases. */
  long term;
  /** Whom we voted for in {@link #term} (0 = nobody); persisted. At most one per term. */
  long vote;
  /** Leader of {@link #term} as far as we know (0 = unknown). */
  long lead;
  Role role = Role.FOLLOWER;
  /** Ticks since the last reset: for followers, since hearing from the leader. */
  int electionElapsed;
  /** Leader only: ticks since the last heartbeat broadcast. */
  int heartbeatElapsed;
  /** Drawn from [electionTicks, 2*electionTicks) at every reset, to split votes rarely. */
  int randomizedElectionTimeout;
  /** Leader only: target of an ongoing leadership transfer (0 = none); proposals are refused. */
  long leadTransferee;
  /** Leader only: index of the last proposed conf change; another waits until it is applied. */
  long pendingConfIndex;
  /**
   * Index of the membership the tracker was last reset to from outside the log: the storage's
   * (as of the applied index) at start, or a received snapshot's. Conf-change entries at or
   * below it are covered by that membership and never change the tracker.
   */
  long snapshotConfIndex;
  /** The membership as of the application's applied state: what it must persist. */
  ConfState appliedConf;

  /** Messages that may be sent at once. */
  List<Message> msgs = new ArrayList<>();
  /** Responses that vouch for local state: send only once the Ready's state is durable. */
  List<Message> msgsAfterPersist = new ArrayList<>();
  List<ReadState> readStates = new ArrayList<>();
  /** Reads received before this leader committed an entry of its own term. */
  List<Message> pendingReadIndexMessages = new ArrayList<>();

  Raft(Config cfg, Storage storage) {
    this.id = cfg.id();
    this.cfg = cfg;
    this.random = new SplittableRandom(cfg.seed());
    Storage.InitialState st = storage.initialState();
    this.log = new RaftLog(storage, cfg.applied());
    this.tracker = new ProgressTracker(cfg.maxInflightMsgs(), Long.MAX_VALUE);
    tracker.reset(st.confState(), log.lastIndex() + 1);
    this.appliedConf = tracker.confState();
    this.snapshotConfIndex = log.applied;
    this.term = st.hardState().term();
    this.vote = st.hardState().vote();
    becomeFollower(term, 0);
  }

  HardState hardState() {
    return new HardState(term, vote, log.committed);
  }

  SoftState softState() {
    return new SoftState(lead, role);
  }

  /** A message from us at the current term; callers set the rest. */
  Message.Builder msg(MessageType type, long to) {
    return Message.builder(type).from(id).to(to).term(term);
  }

  void send(Message m) {
    switch (m.type()) {
      case APP_RESP, VOTE_RESP, PRE_VOTE_RESP -> msgsAfterPersist.add(m);
      default -> msgs.add(m);
    }
  }

  // ---- roles ------------------------------------------------------------------------------

  void becomeFollower(long newTerm, long newLead) {
    reset(newTerm);
    lead = newLead;
    role = Role.FOLLOWER;
  }

  private void becomePreCandidate() {
    // Neither term nor vote changes: a pre-election must not disturb anyone.
    tracker.resetVotes();
    lead = 0;
    role = Role.PRE_CANDIDATE;
  }

  private void becomeCandidate() {
    reset(term + 1);
    vote = id;
    role = Role.CANDIDATE;
  }

  void becomeLeader() {
    reset(term);
    lead = id;
    role = Role.LEADER;
    Progress self = tracker.get(id);
    self.becomeReplicate();
    self.maybeUpdate(log.durableIndex());
    self.recentActive = true;
    // The no-op lets this leader commit, and with it every earlier entry (§5.4.2).
    leader.appendEntries(List.of(Entry.normal(0, 0, Bytes.EMPTY)));
    // Conf changes in the uncommitted tail count as pending until applied; so does the no-op,
    // so a new leader changes membership only once an entry of its own term is committed and
    // applied (the fix for the single-server-change bug, Ongaro's raft-dev post of 2015).
    pendingConfIndex = log.lastIndex();
  }

  private void reset(long newTerm) {
    if (term != newTerm) {
      term = newTerm;
      vote = 0;
    }
    lead = 0;
    electionElapsed = 0;
    heartbeatElapsed = 0;
    randomizedElectionTimeout = cfg.electionTicks() + random.nextInt(cfg.electionTicks());
    leadTransferee = 0;
    tracker.resetVotes();
    tracker.resetProgress(log.lastIndex() + 1);
    readOnly.clear();
    pendingReadIndexMessages.clear();
    pendingConfIndex = 0;
  }

  /** Whether this node may campaign: a voter with no snapshot waiting to be installed. */
  boolean promotable() {
    return tracker.isVoter(id) && !log.hasPendingSnapshot();
  }

  // ---- time -------------------------------------------------------------------------------

  void tick() {
    if (role == Role.LEADER) {
      tickLeader();
    } else {
      electionElapsed++;
      if (promotable() && electionElapsed >= randomizedElectionTimeout) {
        electionElapsed = 0;
        step(Message.builder(HUP).from(id).build());
      }
    }
  }

  private void tickLeader() {
    heartbeatElapsed++;
    electionElapsed++;
    if (electionElapsed >= cfg.electionTicks()) {
      electionElapsed = 0;
      if (cfg.checkQuorum()) {
        step(Message.builder(CHECK_QUORUM).from(id).build());
      }
      // A transfer that did not finish within an election timeout is abandoned.
      if (role == Role.LEADER) {
        leadTransferee = 0;
        if (!tracker.isVoter(id)) {
          leader.handOver(); // removed or demoted: try the next successor
        }
      }
    }
    if (role == Role.LEADER && heartbeatElapsed >= cfg.heartbeatTicks()) {
      heartbeatElapsed = 0;
      step(Message.builder(BEAT).from(id).build());
    }
  }

  // ---- elections --------------------------------------------------------------------------

  private void hup(boolean transfer) {
    if (role == Role.LEADER || !promotable() || log.hasUnappliedConfChange()) {
      return;
    }
    campaign(cfg.preVote() && !transfer, transfer);
  }

  private void campaign(boolean pre, boolean transfer) {
    MessageType type;
    long voteTerm;
    if (pre) {
      becomePreCandidate();
      type = PRE_VOTE;
      voteTerm = term + 1;
      tracker.recordVote(id, true);
    } else {
      becomeCandidate();
      type = VOTE;
      voteTerm = term;
      // Our own vote counts only once term and vote are durable, like anyone else's.
      msgsAfterPersist.add(msg(VOTE_RESP, id).from(id).build());
    }
    for (long v : tracker.voters) {
      if (v != id) {
        send(msg(type, v).term(voteTerm).index(log.lastIndex()).logTerm(log.lastTerm())
            .context(transfer ? Message.TRANSFER_CONTEXT : null).build());
      }
    }
    if (pre) {
      pollVotes();
    }
  }

  private void pollVotes() {
    switch (tracker.voteResult()) {
      case WON -> {
        if (!tracker.isVoter(id)) {
          becomeFollower(term, 0); // never lead a configuration we are not a voter of
        } else if (role == Role.PRE_CANDIDATE) {
          campaign(false, false);
        } else {
          becomeLeader();
          leader.bcastAppend();
        }
      }
      case LOST -> becomeFollower(term, 0);
      case PENDING -> { }
    }
  }

  private void handleVote(Message m) {
    boolean canVote = vote == m.from() || (vote == 0 && lead == 0)
        || (m.type() == PRE_VOTE && m.term() > term);
    if (canVote && log.isUpToDate(m.index(), m.logTerm())) {
      // A pre-vote grant echoes the proposed term so the pre-candidate counts it.
      send(msg(m.type().voteResponse(), m.from()).term(m.term()).build());
      if (m.type() == VOTE) {
        electionElapsed = 0;
        vote = m.from();
      }
    } else {
      send(withCommit(msg(m.type().voteResponse(), m.from()).reject(true)).build());
    }
  }

  /**
   * A vote rejection carries the rejecter's commit index and that entry's term. A candidate whose log holds the
   * same entry holds the same prefix (log matching), all committed: it may commit that far. This lets the last
   * voter of a shrunk cluster learn that the removal of the leader committed when the leader could not tell it
   * (it crashed or lost leadership right after committing), instead of campaigning forever for the removed
   * node's vote.
   */
  private Message.Builder withCommit(Message.Builder b) {
    long c = log.committed;
    return b.commit(c).logTerm(log.termOrZero(c));
  }

  /** The other half of {@link #withCommit}: only ever commits entries this node holds with the same term. */
  private void learnCommit(Message m) {
    if (m.commit() > log.committed && m.logTerm() != 0 && m.commit() <= log.lastIndex()
        && log.matchTerm(m.commit(), m.logTerm())) {
      log.commitTo(m.commit());
    }
  }

  // ---- step -------------------------------------------------------------------------------

  /** Processes one message; returns false if it was a proposal or read that got dropped. */
  boolean step(Message m) {
    if (m.term() > term) {
      if (m.type() == VOTE || m.type() == PRE_VOTE) {
        boolean force = java.util.Arrays.equals(m.context(), Message.TRANSFER_CONTEXT);
        boolean inLease = cfg.checkQuorum() && lead != 0 && electionElapsed < cfg.electionTicks();
        if (!force && inLease) {
          return true; // leader lease: a live leader exists, ignore the disruptive candidate
        }
      }
      if (m.type() == PRE_VOTE || (m.type() == PRE_VOTE_RESP && !m.reject())) {
        // Pre-votes never change terms; a granted response carries the proposed term.
      } else if (m.type() == APP || m.type() == HEARTBEAT || m.type() == SNAP) {
        becomeFollower(m.term(), m.from());
      } else {
        becomeFollower(m.term(), 0);
      }
    } else if (m.term() != 0 && m.term() < term) {
      if ((cfg.checkQuorum() || cfg.preVote()) && (m.type() == APP || m.type() == HEARTBEAT)) {
        // A stale leader (e.g. after a partition) learns our term from this and steps down.
        send(msg(APP_RESP, m.from()).build());
      } else if (m.type() == PRE_VOTE) {
        send(withCommit(msg(PRE_VOTE_RESP, m.from()).reject(true)).build());
      }
      return true;
    }
    if ((m.type() == VOTE_RESP || m.type() == PRE_VOTE_RESP) && m.reject()
        && (role == Role.CANDIDATE || role == Role.PRE_CANDIDATE)) {
      learnCommit(m);
    }
    switch (m.type()) {
      case HUP -> hup(false);
      case VOTE, PRE_VOTE -> handleVote(m);
      default -> {
        return switch (role) {
          case LEADER -> leader.step(m);
          case CANDIDATE, PRE_CANDIDATE -> stepCandidate(m);
          case FOLLOWER -> stepFollower(m);
        };
      }
    }
    return true;
  }

  private boolean stepCandidate(Message m) {
    switch (m.type()) {
      case PROP, READ_INDEX, TRANSFER_LEADER -> {
        return false;
      }
      case APP -> {
        becomeFollower(m.term(), m.from());
        handleAppendEntries(m);
      }
      case HEARTBEAT -> {
        becomeFollower(m.term(), m.from());
        handleHeartbeat(m);
      }
      case SNAP -> {
        becomeFollower(m.term(), m.from());
        handleSnapshot(m);
      }
      case PRE_VOTE_RESP, VOTE_RESP -> {
        boolean mine = (m.type() == PRE_VOTE_RESP) == (role == Role.PRE_CANDIDATE);
        if (mine) {
          tracker.recordVote(m.from(), !m.reject());
          pollVotes();
        }
      }
      default -> { }
    }
    return true;
  }

  private boolean stepFollower(Message m) {
    switch (m.type()) {
      case PROP, READ_INDEX, TRANSFER_LEADER -> {
        if (lead == 0) {
          return false;
        }
        msgs.add(m.toBuilder().to(lead).build());
      }
      case APP -> {
        electionElapsed = 0;
        lead = m.from();
        handleAppendEntries(m);
      }
      case HEARTBEAT -> {
        electionElapsed = 0;
        lead = m.from();
        handleHeartbeat(m);
      }
      case SNAP -> {
        electionElapsed = 0;
        lead = m.from();
        handleSnapshot(m);
      }
      case TIMEOUT_NOW -> hup(true);
      case READ_INDEX_RESP -> readStates.add(new ReadState(m.index(), m.context()));
      default -> { }
    }
    return true;
  }

  // ---- follower replication ---------------------------------------------------------------

  private void handleAppendEntries(Message m) {
    if (m.index() < log.committed) {
      send(msg(APP_RESP, m.from()).index(log.committed).build());
      return;
    }
    long lastNew = log.maybeAppend(m.index(), m.logTerm(), m.commit(), m.entries());
    if (lastNew >= 0) {
      send(msg(APP_RESP, m.from()).index(lastNew).build());
      return;
    }
    // Fast backtracking: point the leader at our largest index that could still match.
    long hint = log.findConflictByTerm(Math.min(m.index(), log.lastIndex()), m.logTerm());
    send(msg(APP_RESP, m.from()).index(m.index()).reject(true).rejectHint(hint)
        .logTerm(log.termOrZero(hint)).build());
  }

  private void handleHeartbeat(Message m) {
    // The leader sends min(our match, its commit), so this never exceeds our log.
    log.commitTo(Math.min(m.commit(), log.lastIndex()));
    msgs.add(msg(HEARTBEAT_RESP, m.from()).context(m.context()).build());
  }

  private void handleSnapshot(Message m) {
    if (restore(m.snapshot())) {
      send(msg(APP_RESP, m.from()).index(log.lastIndex()).build());
    } else {
      send(msg(APP_RESP, m.from()).index(log.committed).build());
    }
  }

  private boolean restore(SnapshotMeta s) {
    if (s.index() <= log.committed) {
      return false;
    }
    if (log.matchTerm(s.index(), s.term())) {
      log.commitTo(s.index()); // we already have the entries: just learn they are committed
      return false;
    }
    log.restore(s);
    // The snapshot's membership replaces ours now; entries the application still applies
    // from an earlier Ready are older and no longer touch the tracker (applyConfChange).
    tracker.reset(s.confState(), log.lastIndex() + 1);
    snapshotConfIndex = s.index();
    return true;
  }

  // ---- application callbacks --------------------------------------------------------------

  /** Entries up to the log's durable index are on disk: a leader counts its own copy now. */
  void onDurable() {
    if (role == Role.LEADER) {
      leader.selfDurable(log.durableIndex());
    }
  }

  /**
   * Applies a committed conf change at {@code index} (0 = unknown) and returns the membership as
   * of that entry, which the application persists with its applied index.
   *
   * <p>When a snapshot newer than the entry was received but not yet installed (the entry comes
   * from a Ready handed out before it), the change is applied to {@link #appliedConf} only: the
   * tracker already holds the snapshot's newer membership. An entry at or below an installed
   * snapshot's index (which the application should never apply) changes nothing.
   */
  ConfState applyConfChange(ConfChange cc, long index) {
    boolean snapshotPending = snapshotConfIndex > log.applied;
    if (index > 0 && index <= snapshotConfIndex && !snapshotPending) {
      return appliedConf; // covered by the installed snapshot's membership
    }
    if (snapshotPending && (index == 0 || index <= snapshotConfIndex)) {
      appliedConf = appliedConf.apply(cc);
      return appliedConf;
    }
    tracker.apply(cc, log.lastIndex() + 1);
    appliedConf = tracker.confState();
    if (role == Role.LEADER) {
      leader.afterConfChange();
    } else if (role != Role.FOLLOWER && !tracker.isVoter(id)) {
      becomeFollower(term, 0); // a (pre-)candidate that is no voter any more gives up
    }
    return appliedConf;
  }

  /** The application installed snapshot {@code s}: its membership is now the applied one. */
  void onSnapshotInstalled(SnapshotMeta s) {
    appliedConf = s.confState();
  }
}
