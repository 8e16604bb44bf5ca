package io.vkv.node.testing;

import io.vertx.core.Context;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs test code on a Vert.x context, for classes that must be used from one event loop (as the Raft loop does). */
public final class OnContext {
  private OnContext() {
  }

  /** Runs {@code work} on {@code context} and returns its result; fails after 30 s. */
  public static <T> T call(Context context, Callable<T> work) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(work.call());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    return result.get(30, TimeUnit.SECONDS);
  }
}
