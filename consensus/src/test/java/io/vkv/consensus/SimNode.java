package io.vkv.consensus;

import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One member of a simulated cluster ({@link SimCluster}, {@link MembershipSim}): what survives a crash (its storage and
 * the applied index of its durable state machine) and the core, which a crash loses. A Ready is handled in two steps,
 * send its messages, then persist, send the after-persist messages, apply and advance, and a crash may fall between.
 */
class SimNode {
  final long id;
  /** What survives a crash: hard state, entries, snapshot and membership. */
  final MemoryStorage storage;
  /** Durable applied index of the (simulated, durable) state machine. */
  long applied;
  RawNode raw;
  /** A Ready whose messages went out but which is not yet persisted. */
  Ready inFlight;
  private long leaderCheckedTerm = -1;
  private final Random rnd;

  SimNode(long id, MemoryStorage storage, Random rnd) {
    this.id = id;
    this.storage = storage;
    this.rnd = rnd;
    this.applied = storage.snapshot().index();
    restart();
  }

  final void restart() {
    raw = new RawNode(Config.defaults(id).withLimits(256, 4).withApplied(applied).withSeed(rnd.nextLong()), storage);
    inFlight = null;
  }

  final boolean up() {
    return raw != null;
  }

  /** Loses everything not persisted. */
  final void crash() {
    raw = null;
    inFlight = null;
  }

  /**
   * Moves the Ready pipeline one step: take a Ready and send its messages, or persist the one in flight and finish
   * it ({@code apply} gets it between persisting and advancing). With {@code both}, does both in one go.
   */
  final void handleReady(boolean both, List<Message> network, SafetyChecker checker, Consumer<Ready> apply) {
    if (!up()) {
      return;
    }
    if (inFlight == null) {
      if (!raw.hasReady()) {
        return;
      }
      inFlight = raw.ready();
      network.addAll(inFlight.messages());
      if (!both) {
        return;
      }
    }
    Ready rd = inFlight;
    inFlight = null;
    persist(rd, checker);
    network.addAll(rd.messagesAfterPersist());
    apply.accept(rd);
    raw.advance(rd);
  }

  private void persist(Ready rd, SafetyChecker checker) {
    if (rd.snapshot() != null) {
      storage.applySnapshot(rd.snapshot());
    }
    storage.append(rd.entries());
    for (Entry e : rd.entries()) {
      long prev;
      try {
        prev = storage.term(e.index() - 1);
      } catch (Storage.CompactedException ex) {
        prev = -1;
      }
      checker.persisted(id, e, prev);
    }
    if (rd.hardState() != null) {
      storage.setHardState(rd.hardState());
    }
  }

  /**
   * Election safety, and leader completeness once per new leadership: a leader's log holds every entry applied
   * anywhere. Returns true when this node leads in a term not seen before.
   */
  final boolean checkNewLeadership(SafetyChecker checker) {
    Raft r = raw.raft();
    if (r.role != SoftState.Role.LEADER || leaderCheckedTerm == r.term) {
      return false;
    }
    leaderCheckedTerm = r.term;
    checker.leader(r.term, id);
    for (long i = Math.max(r.log.firstIndex(), 1); i <= checker.maxApplied; i++) {
      Entry c = checker.appliedAt(i);
      if (c != null && !r.log.matchTerm(i, c.term())) {
        throw new AssertionError("leader completeness: leader " + id + " of term " + r.term + " lacks committed " + c);
      }
    }
    return true;
  }

  /** A snapshot of the state machine at its applied index, and the log compacted to about there. */
  final void compact(byte[] stateMachine) {
    if (!up() || applied <= storage.firstIndex()) {
      return;
    }
    storage.createSnapshot(applied, storage.initialState().confState(), stateMachine);
    storage.compact(applied - rnd.nextInt(3));
  }
}
