package io.vkv.node.gateway;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The requests of a streaming call, parsed from the HTTP body (one JSON object after another, as etcd's gateway
 * reads them), handed to the handler once it listens. The stream ends when {@code mayEnd} says so: at once for a
 * watch (its responses go on regardless), after every request was answered for a keep-alive (the handler ends its
 * answer when the requests end).
 */
final class RequestStream<T> implements ReadStream<T> {
  private final Context context;
  private final List<T> requests;
  private Handler<Void> endHandler;
  private boolean started;

  RequestStream(Context context, List<T> requests) {
    this.context = context;
    this.requests = requests;
  }

  @Override
  public ReadStream<T> handler(Handler<T> handler) {
    if (handler != null && !started) {
      started = true;
      // after the caller's set-up returned (it may set the end handler after this one)
      context.runOnContext(v -> requests.forEach(handler::handle));
    }
    return this;
  }

  /** Ends the stream once {@code ready} holds, checked now and whenever {@link #check} is called. */
  void endWhen(BooleanSupplier ready) {
    this.ready = ready;
    context.runOnContext(v -> check());
  }

  private BooleanSupplier ready = () -> false;
  private boolean ended;

  void check() {
    if (ended || !started || !ready.getAsBoolean()) return;
    ended = true;
    if (endHandler != null) endHandler.handle(null);
  }

  @Override
  public ReadStream<T> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public ReadStream<T> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public ReadStream<T> pause() {
    return this;
  }

  @Override
  public ReadStream<T> resume() {
    return this;
  }

  @Override
  public ReadStream<T> fetch(long amount) {
    return this;
  }
}
