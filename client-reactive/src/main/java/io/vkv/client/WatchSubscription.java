package io.vkv.client;

import java.util.concurrent.Flow;

/**
 * A watch seen through {@link Flow}: the subscriber's requests become the watch's fetch-mode demand, so there is
 * never an {@code onNext} beyond demand, and the watch's end or failure becomes the single terminal signal. All
 * signals come from the watch's context, one at a time (rules 1.3, 1.7); request and cancel may come from any thread.
 */
final class WatchSubscription implements Flow.Subscription {
  private final WatchImpl watch;
  private final Flow.Subscriber<? super WatchEvents> subscriber;
  /** Cancelled or terminated: no more signals (rules 1.6, 3.6). Only touched on the watch's context. */
  private boolean done;

  WatchSubscription(WatchImpl watch, Flow.Subscriber<? super WatchEvents> subscriber) {
    this.watch = watch;
    this.subscriber = subscriber;
  }

  /** Rule 1.9 and 2.5: a refused subscriber still gets onSubscribe first, then the error. */
  static void refuse(Flow.Subscriber<?> subscriber, Throwable error) {
    subscriber.onSubscribe(new Flow.Subscription() {
      @Override
      public void request(long n) {
      }

      @Override
      public void cancel() {
      }
    });
    subscriber.onError(error);
  }

  /** On the watch's context: no demand until the subscriber asks, then the subscriber takes the handlers. */
  void start() {
    watch.pause();
    try {
      subscriber.onSubscribe(this);
    } catch (RuntimeException e) {
      violated();
      throw e;
    }
    watch.exceptionHandler(this::error).endHandler(v -> complete()).handler(this::next);
  }

  @Override
  public void request(long n) {
    if (n <= 0) {
      // rule 3.9
      watch.onContext(() -> {
        if (done) return;
        done = true;
        watch.cancel();
        subscriber.onError(new IllegalArgumentException("non-positive request signals are illegal: " + n));
      });
      return;
    }
    watch.fetch(n);
  }

  @Override
  public void cancel() {
    watch.onContext(() -> {
      if (done) return;
      done = true;
      watch.cancel();
    });
  }

  private void next(WatchEvents events) {
    if (done) return;
    try {
      subscriber.onNext(events);
    } catch (RuntimeException e) {
      violated();
      throw e; // rule 2.13: the subscription is cancelled; the error goes to the context's handler
    }
  }

  private void error(Throwable t) {
    if (done) return;
    done = true;
    subscriber.onError(t);
  }

  private void complete() {
    if (done) return;
    done = true;
    subscriber.onComplete();
  }

  private void violated() {
    done = true;
    watch.cancel();
  }
}
