package io.vkv.node.raft;

import io.vkv.node.apply.Applier;
import java.util.concurrent.CompletableFuture;

/**
 * What the rest of the node may read about the Raft loop from any thread: leader, term, log and applied index.
 * Written by the loop only.
 */
final class RaftStatus {
  private final Applier applier;
  /** Covered by the WAL's snapshot (the bootstrap snapshot holds no store data, so the store may be below it). */
  private final long snapshotIndex;
  /** The commit index persisted before this start: served once the store caught up with it. */
  private final long replayTarget;
  private final CompletableFuture<Void> replayed = new CompletableFuture<>();
  private volatile long leaderId;
  private volatile boolean leader;
  private volatile long term;
  private volatile long lastIndex;
  private volatile java.util.function.Consumer<Boolean> roleListener = self -> { };
  private volatile long leaderSince;
  private volatile long commitIndex;

  RaftStatus(Applier applier, long snapshotIndex, long replayTarget, long term, long lastIndex) {
    this.applier = applier;
    this.snapshotIndex = snapshotIndex;
    this.replayTarget = replayTarget;
    this.term = term;
    this.lastIndex = lastIndex;
    this.commitIndex = replayTarget;
    checkReplayed();
  }

  long appliedIndex() {
    return Math.max(snapshotIndex, applier.appliedIndex());
  }

  void checkReplayed() {
    if (!replayed.isDone() && appliedIndex() >= replayTarget) replayed.complete(null);
  }

  CompletableFuture<Void> replayed() {
    return replayed;
  }

  long leaderId() {
    return leaderId;
  }

  boolean isLeader() {
    return leader;
  }

  /** When this member last became leader (System.nanoTime). */
  long leaderSinceNanos() {
    return leaderSince;
  }

  void leader(long id, boolean self) {
    boolean was = leader;
    if (self && !was) leaderSince = System.nanoTime();
    leaderId = id;
    leader = self;
    if (was != self) roleListener.accept(self);
  }

  /** Called on the Raft loop whenever this member becomes leader (true) or stops being leader (false). */
  void roleListener(java.util.function.Consumer<Boolean> listener) {
    roleListener = listener;
  }

  long term() {
    return term;
  }

  void term(long t) {
    term = t;
  }

  long commitIndex() {
    return commitIndex;
  }

  void commitIndex(long i) {
    commitIndex = Math.max(commitIndex, i);
  }

  long lastIndex() {
    return lastIndex;
  }

  void lastIndex(long i) {
    lastIndex = i;
  }
}
