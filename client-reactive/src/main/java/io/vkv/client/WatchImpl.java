package io.vkv.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/** The public face of a watch: hops every call onto the watch's context, where the session and queue live. */
final class WatchImpl implements Watch {
  private final Context context;
  private final WatchSession session;
  private final AtomicBoolean subscribed = new AtomicBoolean();

  WatchImpl(Context context, WatchSession session) {
    this.context = context;
    this.session = session;
  }

  /** Runs now when already on the watch's context (keeps fetch from a handler cheap), else queued to it. */
  void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  @Override
  public Watch handler(Handler<WatchEvents> handler) {
    onContext(() -> session.queue().handler(handler));
    return this;
  }

  @Override
  public Watch exceptionHandler(Handler<Throwable> handler) {
    onContext(() -> session.queue().exceptionHandler(handler));
    return this;
  }

  @Override
  public Watch endHandler(Handler<Void> handler) {
    onContext(() -> session.queue().endHandler(handler));
    return this;
  }

  @Override
  public Watch pause() {
    onContext(() -> session.queue().pause());
    return this;
  }

  @Override
  public Watch resume() {
    onContext(() -> session.queue().resume());
    return this;
  }

  @Override
  public Watch fetch(long amount) {
    if (amount < 0) throw new IllegalArgumentException("fetch(" + amount + ")");
    if (amount == 0) return this;
    onContext(() -> session.queue().fetch(amount));
    return this;
  }

  @Override
  public Future<Long> created() {
    return session.created();
  }

  @Override
  public Watch requestProgress() {
    onContext(session::requestProgress);
    return this;
  }

  @Override
  public Future<Void> cancel() {
    Promise<Void> done = Promise.promise();
    onContext(() -> session.cancel().onComplete(done));
    return done.future();
  }

  /** Ends the watch with an error as the client closes; its connection's close ends the stream. */
  Future<Void> stop(Throwable error) {
    Promise<Void> done = Promise.promise();
    onContext(() -> {
      session.stop(error, false);
      done.complete();
    });
    return done.future();
  }

  @Override
  public Flow.Publisher<WatchEvents> toPublisher() {
    return subscriber -> {
      if (subscriber == null) throw new NullPointerException("subscriber"); // Reactive Streams rule 1.9
      if (!subscribed.compareAndSet(false, true)) {
        WatchSubscription.refuse(subscriber, new IllegalStateException("a watch publishes to one subscriber only"));
        return;
      }
      onContext(() -> new WatchSubscription(this, subscriber).start());
    };
  }

  /** Received-but-undelivered bytes (queued events plus fragments awaiting the rest); for tests. */
  long bufferedBytes() {
    return session.bufferedBytes();
  }

  long peakBufferedBytes() {
    return session.peakBufferedBytes();
  }

  /** Bytes of responses read off the gRPC streams so far; for tests. */
  long receivedBytes() {
    return session.receivedBytes();
  }

  int fragmentsReceived() {
    return session.fragmentsReceived();
  }

  int streamsOpened() {
    return session.streamsOpened();
  }
}
