package io.vkv.consensus;

import static io.vkv.consensus.MessageType.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The application's handle on one Raft node: feed it ticks, messages and proposals; drain
 * {@link Ready} batches and acknowledge each with {@link #advance}. Single-threaded: every
 * method must be called from the same thread (the node's event loop). See {@link Ready} for
 * the persist / send / send-after-persist / apply / advance contract.
 */
public final class RawNode {
  private final Raft raft;
  /** Last hard/soft state handed out, so Ready carries only changes. */
  private HardState prevHardState;
  private SoftState prevSoftState;
  /** The Ready handed out and not yet advanced (at most one). */
  private Ready outstanding;
  /** Our own vote held back by the outstanding Ready until it is durable. */
  private List<Message> selfAfterPersist = List.of();

  public RawNode(Config cfg, Storage storage) {
    this.raft = new Raft(cfg, storage);
    this.prevHardState = raft.hardState();
    this.prevSoftState = raft.softState();
  }

  /** Advances logical time by one tick (election and heartbeat timeouts count ticks). */
  public void tick() {
    raft.tick();
  }

  /** Starts an election now (pre-vote first if configured). */
  public void campaign() {
    raft.step(Message.builder(HUP).from(raft.id).build());
  }

  /** Feeds a message received from a peer. Local message types are rejected. */
  public void step(Message m) {
    if (m.type().local) {
      throw new IllegalArgumentException("local message type from the network: " + m.type());
    }
    boolean response = m.type() == APP_RESP || m.type() == HEARTBEAT_RESP
        || m.type() == VOTE_RESP || m.type() == PRE_VOTE_RESP;
    if (response && raft.tracker.get(m.from()) == null) {
      return; // a response from a node no longer in the configuration
    }
    raft.step(m);
  }

  /** Proposes data; false if dropped (no known leader, transfer in progress, removed). */
  public boolean propose(byte[] data) {
    return proposeEntry(Entry.normal(0, 0, data));
  }

  /**
   * Proposes several entries in one message, in order: a leader appends them together and sends each follower one
   * APP for all of them (one per entry when proposed one by one), a follower forwards them as one message. All are
   * taken or none: false if dropped, for the same reasons as {@link #propose(byte[])}.
   */
  public boolean propose(List<byte[]> data) {
    if (data.isEmpty()) return true;
    List<Entry> entries = new ArrayList<>(data.size());
    for (byte[] d : data) entries.add(Entry.normal(0, 0, d));
    return raft.step(Message.builder(PROP).from(raft.id).entries(entries).build());
  }

  /**
   * Proposes one membership change. On the leader, false when it cannot be accepted: another
   * change is pending (proposed and not yet applied, or this leader has not yet applied an entry
   * of its term), it would leave no voter, a leadership transfer is in progress, or this node is
   * no longer a member. On a follower it is forwarded to the leader (true) or dropped when no
   * leader is known (false); a forwarded change the leader refuses becomes an empty entry, so
   * the application learns the outcome only by seeing (or not) the CONF_CHANGE entry applied.
   */
  public boolean proposeConfChange(ConfChange cc) {
    return proposeEntry(new Entry(0, 0, Entry.Type.CONF_CHANGE, cc.encode()));
  }

  private boolean proposeEntry(Entry e) {
    return raft.step(Message.builder(PROP).from(raft.id).entries(List.of(e)).build());
  }

  /**
   * Requests a linearizable read identified by {@code ctx} (must be unique); the answer
   * arrives as a {@link ReadState} in a later Ready. False if dropped (no leader known).
   */
  public boolean readIndex(byte[] ctx) {
    return raft.step(Message.builder(READ_INDEX).from(raft.id).context(ctx).build());
  }

  /** Asks the leader to hand leadership to {@code to}. */
  public void transferLeadership(long to) {
    raft.step(Message.builder(TRANSFER_LEADER).from(to).to(raft.id).build());
  }

  /**
   * Applies a committed membership change when applying its CONF_CHANGE entry, and returns the
   * membership as of that entry: persist it atomically with the applied index. Prefer
   * {@link #applyConfChange(Entry)}, which also knows the entry's index.
   */
  public ConfState applyConfChange(ConfChange cc) {
    return raft.applyConfChange(cc, 0);
  }

  /**
   * Applies the committed CONF_CHANGE entry {@code e} and returns the membership as of it
   * (persist it atomically with the applied index {@code e.index()}). An entry at or below the
   * index of a snapshot this node received never overrides that snapshot's newer membership.
   *
   * @throws IllegalArgumentException if {@code e} is not a CONF_CHANGE entry
   */
  public ConfState applyConfChange(Entry e) {
    if (e.type() != Entry.Type.CONF_CHANGE) {
      throw new IllegalArgumentException("not a conf change entry: " + e);
    }
    return raft.applyConfChange(ConfChange.decode(e.data()), e.index());
  }

  /** Reports that sending a SNAP to {@code to} finished ({@code ok}) or failed. */
  public void reportSnapshot(long to, boolean ok) {
    if (raft.role == SoftState.Role.LEADER) {
      raft.leader.reportSnapshot(to, ok);
    }
  }

  public boolean hasReady() {
    if (outstanding != null) {
      return false;
    }
    RaftLog log = raft.log;
    return !raft.softState().equals(prevSoftState) || !raft.hardState().equals(prevHardState)
        || !log.unstable.entries.isEmpty() || log.unstable.snapshot != null
        || log.hasNextCommittedEntries() || !raft.msgs.isEmpty()
        || !raft.msgsAfterPersist.isEmpty() || !raft.readStates.isEmpty();
  }

  /** Hands out the pending work; the previous Ready must have been advanced. */
  public Ready ready() {
    if (outstanding != null) {
      throw new IllegalStateException("advance the previous Ready first");
    }
    HardState hs = raft.hardState();
    SoftState ss = raft.softState();
    List<Message> after = new ArrayList<>();
    List<Message> self = new ArrayList<>();
    for (Message m : raft.msgsAfterPersist) {
      (m.to() == raft.id ? self : after).add(m);
    }
    boolean mustSync = !raft.log.unstable.entries.isEmpty() || raft.log.unstable.snapshot != null
        || hs.term() != prevHardState.term() || hs.vote() != prevHardState.vote();
    outstanding = new Ready(hs.equals(prevHardState) ? null : hs,
        raft.log.unstable.entries, raft.log.unstable.snapshot, raft.msgs, after,
        raft.log.nextCommittedEntries(maxCommittedBytes()), raft.readStates,
        ss.equals(prevSoftState) ? null : ss, mustSync);
    selfAfterPersist = self;
    raft.msgs = new ArrayList<>();
    raft.msgsAfterPersist = new ArrayList<>();
    raft.readStates = new ArrayList<>();
    return outstanding;
  }

  private long maxCommittedBytes() {
    return Math.max(raft.cfg.maxSizePerMsg() * 16, raft.cfg.maxSizePerMsg());
  }

  /** Acknowledges that {@code rd} was persisted, sent and applied per the contract. */
  public void advance(Ready rd) {
    if (rd != outstanding) {
      throw new IllegalStateException("advance must be given the outstanding Ready");
    }
    outstanding = null;
    if (rd.hardState() != null) {
      prevHardState = rd.hardState();
    }
    if (rd.softState() != null) {
      prevSoftState = rd.softState();
    }
    RaftLog log = raft.log;
    if (rd.snapshot() != null) {
      log.unstable.stableSnapTo(rd.snapshot().index());
      log.appliedTo(Math.max(log.applied, rd.snapshot().index()));
      raft.onSnapshotInstalled(rd.snapshot());
    }
    if (!rd.entries().isEmpty()) {
      Entry last = rd.entries().get(rd.entries().size() - 1);
      log.unstable.stableTo(last.index(), last.term());
    }
    if (!rd.committedEntries().isEmpty()) {
      long last = rd.committedEntries().get(rd.committedEntries().size() - 1).index();
      log.appliedTo(Math.max(log.applied, last));
    }
    List<Message> self = selfAfterPersist;
    selfAfterPersist = List.of();
    for (Message m : self) {
      raft.step(m);
    }
    raft.onDurable();
  }

  public Status status() {
    Map<Long, Status.Peer> prs = new LinkedHashMap<>();
    if (raft.role == SoftState.Role.LEADER) {
      raft.tracker.view().forEach((id, p) ->
          prs.put(id, new Status.Peer(p.match, p.next, p.state, p.learner)));
    }
    return new Status(raft.id, raft.term, raft.vote, raft.lead, raft.role, raft.log.committed,
        raft.log.applied, raft.log.lastIndex(), prs, raft.tracker.confState(),
        raft.tracker.learners.contains(raft.id));
  }

  /** Test hook: ticks left until this node's election (or check-quorum) timeout fires. */
  int ticksUntilTimeout() {
    int timeout = raft.role == SoftState.Role.LEADER ? raft.cfg.electionTicks()
        : raft.randomizedElectionTimeout;
    return Math.max(1, timeout - raft.electionElapsed);
  }

  Raft raft() {
    return raft;
  }
}
