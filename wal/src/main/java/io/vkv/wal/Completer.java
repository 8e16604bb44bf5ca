package io.vkv.wal;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Completes the futures of durable writes, in the order the batches were forced. A small batch is completed on the
 * calling thread (a hand-off would add a thread wake-up to a lone writer's latency); a large one, or any batch while
 * an earlier one is still being completed here, goes to a thread of its own, so that waking hundreds of waiters
 * overlaps the next batch's write and force instead of delaying them.
 */
final class Completer implements AutoCloseable {
  /** Batches up to this size are completed inline when nothing is pending. */
  static final int INLINE_MAX = 16;

  private final AtomicInteger pending = new AtomicInteger();
  private final ExecutorService thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
      new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "vkv-wal-completer");
        t.setDaemon(true);
        return t;
      });

  /**
   * Completes every write's future, here or on the completer thread (the list must not be reused). Without
   * {@code mayHandOff} every future is complete when this returns.
   */
  void complete(List<PendingWrite> durable, boolean mayHandOff) {
    if (durable.isEmpty()) return;
    boolean idle = pending.get() == 0;
    if (idle && (!mayHandOff || durable.size() <= INLINE_MAX)) {
      completeAll(durable);
      return;
    }
    pending.incrementAndGet();
    Future<?> done = thread.submit(() -> {
      try {
        completeAll(durable);
      } finally {
        pending.decrementAndGet();
      }
    });
    if (!mayHandOff) awaitQuietly(done); // behind earlier batches, yet complete when the caller returns
  }

  private static void awaitQuietly(Future<?> done) {
    boolean interrupted = false;
    while (true) {
      try {
        done.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        break; // completing a future does not throw; nothing to report
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  private static void completeAll(List<PendingWrite> durable) {
    for (PendingWrite w : durable) w.done().complete(null);
  }

  /** Completes what was handed over, then stops the thread. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) thread.shutdownNow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
