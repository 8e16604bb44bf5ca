package io.vkv.node.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.store.ApplyResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class WaitersTest {
  /** Runs nothing until told to: shows how many tasks were handed to it. */
  static final class HeldTasks implements Executor {
    final List<Runnable> tasks = new ArrayList<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      tasks.forEach(Runnable::run);
    }
  }

  private static ApplyResult result(long index, long requestId) {
    return new ApplyResult(index, requestId, null, null, index, List.of());
  }

  @Test
  void aBatchGoesToEachExecutorAsOneTaskInOrder() {
    Waiters waiters = new Waiters();
    HeldTasks a = new HeldTasks();
    HeldTasks b = new HeldTasks();
    List<Long> order = new ArrayList<>();
    List<CompletableFuture<ApplyResult>> onA = new ArrayList<>();
    for (long id = 1; id <= 3; id++) {
      CompletableFuture<ApplyResult> f = waiters.register(id, a);
      f.thenAccept(r -> order.add(r.requestId()));
      onA.add(f);
    }
    CompletableFuture<ApplyResult> onB = waiters.register(10, b);
    CompletableFuture<ApplyResult> inline = waiters.register(20);

    waiters.completeAll(List.of(result(1, 1), result(2, 10), result(3, 2), result(4, 99), result(5, 20), result(6, 3)));

    assertTrue(inline.isDone(), "a waiter without executor completes on the applying thread");
    assertEquals(1, a.tasks.size());
    assertEquals(1, b.tasks.size());
    assertFalse(onA.get(0).isDone(), "nothing completes before its executor runs the task");
    a.runAll();
    b.runAll();
    assertEquals(List.of(1L, 2L, 3L), order);
    assertEquals(10L, onB.join().requestId());
    assertEquals(0, waiters.size());
  }

  @Test
  void singleCompletionUsesTheExecutorToo() {
    Waiters waiters = new Waiters();
    HeldTasks a = new HeldTasks();
    CompletableFuture<ApplyResult> f = waiters.register(7, a);
    waiters.complete(result(1, 7));
    assertFalse(f.isDone());
    a.runAll();
    assertEquals(7, f.join().requestId());
    assertFalse(waiters.isWaiting(7));
  }
}
