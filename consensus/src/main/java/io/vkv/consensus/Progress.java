package io.vkv.consensus;

/**
 * The leader's view of one peer's log. Invariant: {@code match < next}; entries up to
 * {@code match} are known durable on the peer.
 */
public final class Progress {

  /** Replication state machine (see etcd's tracker/progress design). */
  public enum State {
    /** Unknown match: one APP at a time, waiting for the answer before sending more. */
    PROBE,
    /** Match known: stream APPs optimistically, bounded by {@link Inflights}. */
    REPLICATE,
    /** The peer needs a snapshot; nothing else is sent until it is reported. */
    SNAPSHOT
  }

  /** Highest index known replicated (and durable) on the peer. */
  long match;
  /** Next index to send; in REPLICATE this runs ahead of match by the in-flight entries. */
  long next;
  State state = State.PROBE;
  /** PROBE only: an APP is outstanding, so sending is paused until a response or heartbeat. */
  boolean probeSent;
  /** SNAPSHOT only: index of the snapshot being sent. */
  long pendingSnapshot;
  /** Heard from the peer since the last CheckQuorum round. */
  boolean recentActive;
  final boolean learner;
  final Inflights inflights;

  Progress(long next, boolean learner, int maxInflight, long maxInflightBytes) {
    this.next = next;
    this.learner = learner;
    this.inflights = new Inflights(maxInflight, maxInflightBytes);
  }

  /** The same progress with the learner flag changed (membership change). */
  Progress copyAs(boolean asLearner) {
    return new Progress(this, asLearner);
  }

  private Progress(Progress o, boolean asLearner) {
    this.next = o.next;
    this.match = o.match;
    this.state = o.state;
    this.probeSent = o.probeSent;
    this.pendingSnapshot = o.pendingSnapshot;
    this.recentActive = o.recentActive;
    this.learner = asLearner;
    this.inflights = o.inflights;
  }

  public long match() {
    return match;
  }

  public long next() {
    return next;
  }

  public State state() {
    return state;
  }

  public boolean isLearner() {
    return learner;
  }

  void becomeProbe() {
    // After a snapshot, the peer has at least the snapshot index.
    long floor = state == State.SNAPSHOT ? Math.max(match, pendingSnapshot) : match;
    state = State.PROBE;
    next = floor + 1;
    probeSent = false;
    pendingSnapshot = 0;
    inflights.reset();
  }

  void becomeReplicate() {
    state = State.REPLICATE;
    next = match + 1;
    probeSent = false;
    inflights.reset();
  }

  void becomeSnapshot(long snapshotIndex) {
    state = State.SNAPSHOT;
    pendingSnapshot = snapshotIndex;
    probeSent = false;
    inflights.reset();
  }

  /** Records an acknowledgement up to {@code n}; returns whether match advanced. */
  boolean maybeUpdate(long n) {
    boolean updated = false;
    if (match < n) {
      match = n;
      updated = true;
      probeSent = false;
    }
    next = Math.max(next, n + 1);
    return updated;
  }

  /** Accounts for an APP just sent whose last entry is {@code last} and size {@code bytes}. */
  void sentEntries(long last, long bytes, int count) {
    if (state == State.REPLICATE) {
      if (count > 0) {
        next = last + 1;
        inflights.add(last, bytes);
      }
    } else if (state == State.PROBE) {
      probeSent = true;
    }
  }

  /**
   * Handles a rejection of the APP whose prev index was {@code rejected}; {@code hint} is the
   * highest index that may match. Returns false for a stale rejection (ignored).
   */
  boolean maybeDecrTo(long rejected, long hint) {
    if (state == State.REPLICATE) {
      if (rejected <= match) {
        return false;
      }
      // The optimistic stream diverged: restart right after the known match.
      next = match + 1;
      return true;
    }
    if (next - 1 != rejected) {
      return false;
    }
    next = Math.max(Math.min(rejected, hint + 1), match + 1);
    probeSent = false;
    return true;
  }

  /** Whether sending APPs to this peer is currently throttled. */
  boolean isPaused() {
    return switch (state) {
      case PROBE -> probeSent;
      case REPLICATE -> inflights.full();
      case SNAPSHOT -> true;
    };
  }

  @Override
  public String toString() {
    return state + " match=" + match + " next=" + next
        + (learner ? " learner" : "")
        + (state == State.SNAPSHOT ? " pendingSnap=" + pendingSnapshot : "")
        + (probeSent ? " paused" : "")
        + (inflights.count() > 0 ? " inflight=" + inflights.count() : "");
  }
}
