package io.vkv.client;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Bounded blocking waits on a future, for test code only (conditions are polled with {@code Wait}). */
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
}
