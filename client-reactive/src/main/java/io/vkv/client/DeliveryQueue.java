package io.vkv.client;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import java.util.ArrayDeque;
import java.util.function.ToLongFunction;

/**
 * The delivery half of a {@code ReadStream}: Vert.x fetch-mode demand over a small queue, and one terminal signal
 * (end or failure) delivered after everything queued before it, with or without demand. The producer asks
 * {@link #wantsMore()} before reading from upstream and is called back through {@code onDemand} when that turns
 * true: it reads one item ahead of demand, no more, so an item is ready when the application asks and a failure
 * that comes next surfaces even while paused. Every method runs on {@code context}.
 */
final class DeliveryQueue<T> {
  private final Context context;
  private final Runnable onDemand;
  private final ToLongFunction<T> sizer;
  private final ArrayDeque<T> pending = new ArrayDeque<>();
  private Handler<T> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  /** Items the application asked for; Long.MAX_VALUE = flowing (the Vert.x default until pause()). */
  private long demand = Long.MAX_VALUE;
  private boolean ended;
  private Throwable failure;
  private boolean terminated;
  private boolean draining;
  private volatile long bytes;

  DeliveryQueue(Context context, Runnable onDemand, ToLongFunction<T> sizer) {
    this.context = context;
    this.onDemand = onDemand;
    this.sizer = sizer;
  }

  /** Bytes of queued, undelivered items (readable from any thread, for tests and metrics). */
  long bytes() {
    return bytes;
  }

  boolean isTerminated() {
    return ended || failure != null;
  }

  /** True when nothing is queued: the producer may read one more item. */
  boolean wantsMore() {
    return !isTerminated() && pending.isEmpty();
  }

  void add(T item) {
    if (isTerminated()) return;
    pending.add(item);
    bytes += sizer.applyAsLong(item);
    drain();
  }

  /** Replaces whatever is still undelivered with {@code item}: for status updates where only the latest matters. */
  void offerLatest(T item) {
    if (isTerminated()) return;
    discard();
    add(item);
  }

  void end() {
    if (isTerminated()) return;
    ended = true;
    drain();
  }

  void fail(Throwable t) {
    if (isTerminated()) return;
    failure = t;
    drain();
  }

  /** Drops what is queued: the application cancelled, nothing more is for it. */
  void discard() {
    pending.clear();
    bytes = 0;
  }

  void handler(Handler<T> h) {
    handler = h;
    drain();
  }

  void exceptionHandler(Handler<Throwable> h) {
    exceptionHandler = h;
    drain();
  }

  void endHandler(Handler<Void> h) {
    endHandler = h;
    drain();
  }

  void pause() {
    demand = 0;
  }

  void resume() {
    fetch(Long.MAX_VALUE);
  }

  void fetch(long n) {
    if (n <= 0) throw new IllegalArgumentException("fetch(" + n + ")");
    demand = demand > Long.MAX_VALUE - n ? Long.MAX_VALUE : demand + n;
    drain();
  }

  private void drain() {
    if (draining) return; // re-entered from a handler: the loop below carries on
    draining = true;
    try {
      while (!pending.isEmpty() && handler != null && demand > 0) {
        T item = pending.poll();
        bytes -= sizer.applyAsLong(item);
        if (demand != Long.MAX_VALUE) demand--;
        handler.handle(item);
      }
      if (pending.isEmpty() && !terminated && isTerminated()) signalTerminal();
    } finally {
      draining = false;
    }
    if (wantsMore()) onDemand.run();
  }

  private void signalTerminal() {
    if (failure != null) {
      Handler<Throwable> h = exceptionHandler != null ? exceptionHandler : context.exceptionHandler();
      if (h == null) return; // held until someone listens, as a Vert.x stream would otherwise lose it
      terminated = true;
      h.handle(failure);
    } else if (endHandler != null) {
      terminated = true;
      endHandler.handle(null);
    }
  }
}
