package io.vkv.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.Flow;

/**
 * One watch: a Vert.x {@link ReadStream} of {@link WatchEvents} in revision order, each revision exactly once,
 * across reconnections. Flowing by default like every Vert.x stream; in fetch mode ({@link #pause()} then
 * {@link #fetch(long)}) the client reads from the server only what was asked for, so a slow consumer holds back
 * the server (through HTTP/2 flow control) instead of filling the client's heap.
 * <p>
 * The stream ends ({@code endHandler}) only after {@link #cancel()}. It fails ({@code exceptionHandler}) with
 * {@link WatchCompactedException} when the revision it must start or resume from was compacted, with the
 * server's error when it refuses the watch, or when the client is closed; lost connections and
 * {@code UNAVAILABLE} are retried without end. Handlers run on the Vert.x context the watch was created on (an
 * event loop of the client's Vert.x instance when created outside one); every method may be called from any thread.
 */
public interface Watch extends ReadStream<WatchEvents> {

  @Override
  Watch handler(Handler<WatchEvents> handler);

  @Override
  Watch exceptionHandler(Handler<Throwable> handler);

  @Override
  Watch endHandler(Handler<Void> handler);

  @Override
  Watch pause();

  @Override
  Watch resume();

  @Override
  Watch fetch(long amount);

  /** Completes with the header revision of the first created response: changes after it are reported. */
  Future<Long> created();

  /** Asks the server for a progress notification, delivered once everything before it was sent. */
  Watch requestProgress();

  /**
   * Stops the watch: nothing more is delivered, undelivered events are dropped and {@code endHandler} is called.
   * The server is sent a cancel request; the future completes once it confirmed (or after the call timeout) and
   * the stream was reset. Idempotent.
   */
  Future<Void> cancel();

  /**
   * This watch as a {@link Flow.Publisher} for one subscriber: {@code request(n)} is the watch's demand (the client
   * reads from the server only what was requested), {@code cancel()} cancels the watch, and the subscriber gets
   * {@code onComplete} after {@link #cancel()} from elsewhere or {@code onError} as the exception handler would.
   * The publisher takes over the watch's handlers; a second subscriber is refused with {@code onError}.
   */
  Flow.Publisher<WatchEvents> toPublisher();
}
