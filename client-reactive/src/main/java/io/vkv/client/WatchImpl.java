package io.vkv.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/** The public face of a watch: hops every call onto the watch's context, where the session and queue live. */
final class WatchImpl extends QueuedReadStream<WatchEvents, Watch> implements Watch {
  private final WatchSession session;
  private final AtomicBoolean subscribed = new AtomicBoolean();

  WatchImpl(Context context, WatchSession session) {
    super(context);
    this.session = session;
  }

  @Override
  DeliveryQueue<WatchEvents> queue() {
    return session.queue();
  }

  void start() {
    onContext(session::start);
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
