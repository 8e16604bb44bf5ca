package io.vkv.node.raft;

import io.vertx.core.Context;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Where client threads hand writes and linearizable reads to the Raft loop. Everything that arrives before the
 * loop's next turn is drained as one batch (one propose round, one read-index request), and the intake is
 * bounded: beyond {@link #MAX_QUEUED} waiting items a call is refused at once instead of queueing without bound.
 */
final class Intake {
  static final int MAX_QUEUED = 65_536;

  /** A write with its request id, already serialized off the loop, and when it was handed over. */
  record Proposal(long id, byte[] data, long offeredAt, boolean leaderOnly) {
    Proposal(long id, byte[] data) {
      this(id, data, System.nanoTime(), false);
    }

    Proposal(long id, byte[] data, boolean leaderOnly) {
      this(id, data, System.nanoTime(), leaderOnly);
    }
  }

  private final Queue<Proposal> proposals = new ConcurrentLinkedQueue<>();
  private final Queue<CompletableFuture<Void>> reads = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean wakeScheduled = new AtomicBoolean();
  private volatile Context loop;
  private volatile Runnable onWake;

  /** Called by the loop once it runs: from now on each offer schedules a drain on {@code loop}. */
  void attach(Context loop, Runnable onWake) {
    this.onWake = onWake;
    this.loop = loop;
    wake();
  }

  boolean offer(Proposal p) {
    if (!reserve()) return false;
    proposals.add(p);
    wake();
    return true;
  }

  boolean offer(CompletableFuture<Void> read) {
    if (!reserve()) return false;
    reads.add(read);
    wake();
    return true;
  }

  private boolean reserve() {
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      return false;
    }
    return true;
  }

  private void wake() {
    Context c = loop;
    if (c != null && wakeScheduled.compareAndSet(false, true)) {
      c.runOnContext(v -> {
        wakeScheduled.set(false);
        onWake.run();
      });
    }
  }

  void drainProposals(Consumer<Proposal> to) {
    drain(proposals, to);
  }

  void drainReads(Consumer<CompletableFuture<Void>> to) {
    drain(reads, to);
  }

  private <T> void drain(Queue<T> q, Consumer<T> to) {
    for (T t; (t = q.poll()) != null; ) {
      queued.decrementAndGet();
      to.accept(t);
    }
  }

  /** What is still queued, for failing it on shutdown. */
  List<Object> drainAll() {
    List<Object> all = new java.util.ArrayList<>();
    drain(proposals, all::add);
    drain(reads, all::add);
    return all;
  }
}
