package io.vkv.bench;

import io.vertx.core.Future;

/** One kind of request; {@link #issue} is called on an event loop and must not block. */
interface Workload {
  String name();

  /** Sends request number {@code op} (0-based, unique across clients). */
  Future<?> issue(long op);
}
