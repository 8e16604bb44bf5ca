package io.vkv.node.apply;

import io.vkv.store.ApplyResult;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/** Futures that complete once this member has applied the log up to a given index. */
public final class AppliedIndexWaits implements AppliedListener {
  private record Wait(long index, CompletableFuture<Void> done) {}

  private final LongSupplier appliedIndex;
  private final PriorityQueue<Wait> waits = new PriorityQueue<>((a, b) -> Long.compare(a.index, b.index));

  public AppliedIndexWaits(LongSupplier appliedIndex) {
    this.appliedIndex = appliedIndex;
  }

  public CompletableFuture<Void> until(long index) {
    if (appliedIndex.getAsLong() >= index) return CompletableFuture.completedFuture(null);
    CompletableFuture<Void> done = new CompletableFuture<>();
    Wait wait = new Wait(index, done);
    synchronized (waits) {
      waits.add(wait);
    }
    // a caller that stops waiting (a timeout: the index may never come, e.g. a made-up token) leaves no entry behind
    done.whenComplete((v, e) -> {
      if (e != null) {
        synchronized (waits) {
          waits.remove(wait);
        }
      }
    });
    release(); // the index may have been applied between the check and the add
    return done;
  }

  /** Waits not yet released, for tests. */
  int pending() {
    synchronized (waits) {
      return waits.size();
    }
  }

  @Override
  public void applied(List<ApplyResult> batch) {
    release();
  }

  /** Also after a snapshot install moved the applied index. */
  public void release() {
    long applied = appliedIndex.getAsLong();
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    synchronized (waits) {
      while (!waits.isEmpty() && waits.peek().index <= applied) ready.add(waits.poll().done);
    }
    ready.forEach(f -> f.complete(null));
  }
}
