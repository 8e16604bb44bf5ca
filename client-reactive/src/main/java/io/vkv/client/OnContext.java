package io.vkv.client;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** Runs an action on a stream's own context: at once when already there, else queued to it. */
final class OnContext {
  private OnContext() {
  }

  static void run(Context context, Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  /** The caller's context when it belongs to {@code vertx}, else one of vertx's event loops. */
  static Context of(Vertx vertx) {
    Context current = Vertx.currentContext();
    return current != null && current.owner() == vertx ? current : vertx.getOrCreateContext();
  }
}
