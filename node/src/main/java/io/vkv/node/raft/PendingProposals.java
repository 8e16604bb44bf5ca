package io.vkv.node.raft;

import io.vkv.api.EtcdError;
import io.vkv.api.EtcdException;
import io.vkv.consensus.RawNode;
import io.vkv.consensus.SoftState;
import io.vkv.node.apply.Waiters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The Raft loop's bookkeeping of this member's writes between intake and apply. The waiter of a write stays on
 * the member that took it from the client (a follower's proposal is forwarded to the leader by the core) and
 * completes when this member applies the entry with its request id. No write waits forever: without a leader
 * it fails with "no leader" after {@code noLeaderWaitNanos}; once proposed it fails with "leader changed" if
 * leadership moves, or "request timed out" after {@code requestTimeoutNanos} (a forwarded proposal may be lost).
 * Loop thread only.
 */
final class PendingProposals {
  static final int MAX_HELD = Intake.MAX_QUEUED;
  /**
   * Data bytes of one batch proposed together at most: a follower forwards a batch as one peer frame, which must
   * stay well under the frame limit (64 MiB) when many large writes arrive at once; 1 MiB is also where the core
   * cuts a leader's APP (its maxSizePerMsg).
   */
  static final int MAX_BATCH_BYTES = 1 << 20;

  private record Held(Intake.Proposal proposal, long since) {}

  private record InFlight(long id, long deadline) {}

  private final Waiters waiters;
  private final long noLeaderWaitNanos;
  private final long requestTimeoutNanos;
  /** Waiting for a leader, oldest first. */
  private final Deque<Held> held = new ArrayDeque<>();
  /** Handed to the core, oldest first (so deadlines are in order). */
  private final Deque<InFlight> inFlight = new ArrayDeque<>();

  PendingProposals(Waiters waiters, long noLeaderWaitNanos, long requestTimeoutNanos) {
    this.waiters = waiters;
    this.noLeaderWaitNanos = noLeaderWaitNanos;
    this.requestTimeoutNanos = requestTimeoutNanos;
  }

  long requestTimeoutNanos() {
    return requestTimeoutNanos;
  }

  /** Proposes {@code p}, or holds it until a leader is known. */
  void submit(RawNode node, Intake.Proposal p, long now) {
    if (p.leaderOnly()) {
      // decided by this member as the leader: proposed only while it still is (see Proposer.proposeAsLeader)
      if (node.status().role() != SoftState.Role.LEADER || !propose(node, p, now)) {
        waiters.fail(p.id(), EtcdError.NOT_LEADER.exception());
      }
      return;
    }
    if (!held.isEmpty() || !propose(node, p, now)) hold(p, now);
  }

  /**
   * Submits proposals in order, as {@link #submit} would one by one, but proposes runs of ordinary ones to the core
   * in one call: the leader then sends each follower one APP for the run instead of one per proposal (and gets one
   * answer back), which under load was most of the members' peer messages. A run holds at most
   * {@link #MAX_BATCH_BYTES} of data (a larger proposal goes alone); a leader-only proposal goes alone.
   */
  void submitAll(RawNode node, List<Intake.Proposal> ps, long now) {
    List<Intake.Proposal> run = new ArrayList<>();
    long runBytes = 0;
    for (Intake.Proposal p : ps) {
      boolean full = !run.isEmpty() && runBytes + p.data().length > MAX_BATCH_BYTES;
      if (p.leaderOnly() || full) {
        submitRun(node, run, now);
        run.clear();
        runBytes = 0;
      }
      if (p.leaderOnly()) {
        submit(node, p, now);
      } else {
        run.add(p);
        runBytes += p.data().length;
      }
    }
    submitRun(node, run, now);
  }

  /** Ordinary proposals, all proposed together or all held (the core takes a batch whole or not at all). */
  private void submitRun(RawNode node, List<Intake.Proposal> run, long now) {
    if (run.isEmpty()) return;
    if (run.size() == 1) {
      submit(node, run.get(0), now);
      return;
    }
    List<byte[]> data = new ArrayList<>(run.size());
    for (Intake.Proposal p : run) data.add(p.data());
    if (held.isEmpty() && node.propose(data)) {
      for (Intake.Proposal p : run) inFlight.addLast(new InFlight(p.id(), now + requestTimeoutNanos));
    } else {
      for (Intake.Proposal p : run) hold(p, now);
    }
  }

  /** A leader may be known now: propose what was held, in arrival order, until the core refuses again. */
  void retryHeld(RawNode node, long now) {
    while (!held.isEmpty()) {
      if (!propose(node, held.peekFirst().proposal(), now)) return;
      held.pollFirst();
    }
  }

  private boolean propose(RawNode node, Intake.Proposal p, long now) {
    if (!node.propose(p.data())) return false;
    inFlight.addLast(new InFlight(p.id(), now + requestTimeoutNanos));
    return true;
  }

  private void hold(Intake.Proposal p, long now) {
    if (held.size() >= MAX_HELD) {
      waiters.fail(p.id(), EtcdError.TOO_MANY_REQUESTS.exception());
    } else {
      held.addLast(new Held(p, now));
    }
  }

  /** Fails what waited too long (checked on every tick). */
  void expire(long now) {
    while (!held.isEmpty() && now - held.peekFirst().since() >= noLeaderWaitNanos) {
      waiters.fail(held.pollFirst().proposal().id(), EtcdError.NO_LEADER.exception());
    }
    while (!inFlight.isEmpty() && now - inFlight.peekFirst().deadline() >= 0) {
      waiters.fail(inFlight.pollFirst().id(), EtcdError.TIMEOUT.exception());
    }
  }

  /**
   * The leader this member knew stepped down or was replaced: whether writes it had not applied yet will commit
   * is unknown, so their callers get etcd's "leader changed" rather than a silent wait. (A write already
   * applied was completed and removed from the waiters; failing it again is a no-op.)
   */
  void leaderChanged() {
    for (InFlight f; (f = inFlight.pollFirst()) != null; ) waiters.fail(f.id(), EtcdError.LEADER_CHANGED.exception());
  }

  /** Forgets completed writes at the head, so the in-flight queue does not grow with the write rate. */
  void trimCompleted() {
    while (!inFlight.isEmpty() && !waiters.isWaiting(inFlight.peekFirst().id())) inFlight.pollFirst();
  }

  void fail(Intake.Proposal p, EtcdException cause) {
    waiters.fail(p.id(), cause);
  }

  void failAll(EtcdException cause) {
    for (Held h; (h = held.pollFirst()) != null; ) waiters.fail(h.proposal().id(), cause);
    for (InFlight f; (f = inFlight.pollFirst()) != null; ) waiters.fail(f.id(), cause);
  }
}
