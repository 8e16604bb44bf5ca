package io.vkv.node.apply;

import io.vkv.api.EtcdError;
import io.vkv.store.ApplyResult;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/** Client calls waiting for their request to be applied, by request id. */
public final class Waiters {
  /** A caller, and where its result should be completed (null: on whichever thread applies it). */
  private record Waiter(CompletableFuture<ApplyResult> future, Executor completeOn) {}

  private final Map<Long, Waiter> waiting = new ConcurrentHashMap<>();
  private final WriteStages stages;

  public Waiters() {
    this(WriteStages.NONE);
  }

  /** @param stages told how long results wait for their callers' executors ({@link WriteStages.Stage#REPLY}) */
  public Waiters(WriteStages stages) {
    this.stages = stages;
  }

  public CompletableFuture<ApplyResult> register(long requestId) {
    return register(requestId, null);
  }

  /**
   * Like {@link #register(long)}, but the result is completed by a task on {@code completeOn}; the results of one
   * applied batch that go to the same executor (the same instance) share one task.
   */
  public CompletableFuture<ApplyResult> register(long requestId, Executor completeOn) {
    CompletableFuture<ApplyResult> f = new CompletableFuture<>();
    waiting.put(requestId, new Waiter(f, completeOn));
    return f;
  }

  /** Completes the caller waiting for this result, if it is on this member. */
  public void complete(ApplyResult result) {
    Waiter w = waiting.remove(result.requestId());
    if (w == null) return;
    if (w.completeOn == null) {
      w.future.complete(result);
    } else {
      w.completeOn.execute(() -> w.future.complete(result));
    }
  }

  /** Completes the callers of a batch's results: one task per executor, in the batch's order. */
  public void completeAll(List<ApplyResult> results) {
    Map<Executor, List<Runnable>> byExecutor = null;
    for (ApplyResult r : results) {
      Waiter w = waiting.remove(r.requestId());
      if (w == null) continue;
      if (w.completeOn == null) {
        w.future.complete(r);
        continue;
      }
      if (byExecutor == null) byExecutor = new IdentityHashMap<>();
      byExecutor.computeIfAbsent(w.completeOn, e -> new ArrayList<>()).add(() -> w.future.complete(r));
    }
    if (byExecutor == null) return;
    long handedAt = System.nanoTime();
    for (Map.Entry<Executor, List<Runnable>> e : byExecutor.entrySet()) {
      List<Runnable> tasks = e.getValue();
      e.getKey().execute(() -> {
        stages.record(WriteStages.Stage.REPLY, System.nanoTime() - handedAt);
        tasks.forEach(Runnable::run);
      });
    }
  }

  public void fail(long requestId, Throwable cause) {
    Waiter w = waiting.remove(requestId);
    if (w != null) w.future.completeExceptionally(cause);
  }

  /** On shutdown nobody may hang: every pending call fails with etcd's "server stopped". */
  public void failAll() {
    for (Long id : waiting.keySet()) fail(id, EtcdError.STOPPED.exception());
  }

  /** Whether a caller still waits for this request (it was neither completed nor failed). */
  public boolean isWaiting(long requestId) {
    return waiting.containsKey(requestId);
  }

  public int size() {
    return waiting.size();
  }
}
