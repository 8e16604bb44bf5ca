package io.vkv.client;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;

/**
 * The {@link ReadStream} face of a client stream (a watch, a keep-alive, an observation): every call hops onto the
 * stream's context and goes to its {@link DeliveryQueue}. {@code S} is the public stream type the calls return.
 */
abstract class QueuedReadStream<T, S extends ReadStream<T>> implements ReadStream<T> {
  final Context context;

  QueuedReadStream(Context context) {
    this.context = context;
  }

  /** The queue the application reads from; used on {@link #context} only. */
  abstract DeliveryQueue<T> queue();

  /** Runs now when already on the stream's context (keeps fetch from a handler cheap), else queued to it. */
  void onContext(Runnable action) {
    OnContext.run(context, action);
  }

  @SuppressWarnings("unchecked") // a subclass is an S (see the class comment)
  private S self() {
    return (S) this;
  }

  @Override
  public S handler(Handler<T> handler) {
    onContext(() -> queue().handler(handler));
    return self();
  }

  @Override
  public S exceptionHandler(Handler<Throwable> handler) {
    onContext(() -> queue().exceptionHandler(handler));
    return self();
  }

  @Override
  public S endHandler(Handler<Void> handler) {
    onContext(() -> queue().endHandler(handler));
    return self();
  }

  @Override
  public S pause() {
    onContext(() -> queue().pause());
    return self();
  }

  @Override
  public S resume() {
    onContext(() -> queue().resume());
    return self();
  }

  @Override
  public S fetch(long amount) {
    if (amount < 0) throw new IllegalArgumentException("fetch(" + amount + ")");
    if (amount > 0) onContext(() -> queue().fetch(amount));
    return self();
  }
}
