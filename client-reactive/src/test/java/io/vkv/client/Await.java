package io.vkv.client;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded blocking waits for test code only. */
final class Await {
  private Await() {
  }

  static <T> T result(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
    } catch (Exception e) {
      throw new AssertionError("no result within 20 s", e);
    }
  }

  /** The failure of a future that must fail. */
  static VkvException failure(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof VkvException v) return v;
      throw new AssertionError("unexpected failure type", e.getCause());
    } catch (Exception e) {
      throw new AssertionError("no outcome within 20 s", e);
    }
    throw new AssertionError("expected a failure");
  }

  /** Polls {@code condition} every few milliseconds until it holds; fails after 20 s with {@code what}. */
  static void until(BooleanSupplier condition, Supplier<String> what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) throw new AssertionError("not within 20 s: " + what.get());
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }
}
