package io.vkv.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vkv.api.etcdserverpb.LeaseKeepAliveResponse;

/** The public face of a keep-alive: hops every call onto the session's context. */
final class LeaseKeepAliveImpl implements LeaseKeepAlive {
  private final Context context;
  private final KeepAliveSession session;

  LeaseKeepAliveImpl(Context context, KeepAliveSession session) {
    this.context = context;
    this.session = session;
  }

  void onContext(Runnable action) {
    OnContext.run(context, action);
  }

  @Override
  public long leaseId() {
    return session.leaseId();
  }

  @Override
  public LeaseKeepAlive handler(Handler<LeaseKeepAliveResponse> handler) {
    onContext(() -> session.queue().handler(handler));
    return this;
  }

  @Override
  public LeaseKeepAlive exceptionHandler(Handler<Throwable> handler) {
    onContext(() -> session.queue().exceptionHandler(handler));
    return this;
  }

  @Override
  public LeaseKeepAlive endHandler(Handler<Void> handler) {
    onContext(() -> session.queue().endHandler(handler));
    return this;
  }

  @Override
  public LeaseKeepAlive pause() {
    onContext(() -> session.queue().pause());
    return this;
  }

  @Override
  public LeaseKeepAlive resume() {
    onContext(() -> session.queue().resume());
    return this;
  }

  @Override
  public LeaseKeepAlive fetch(long amount) {
    if (amount < 0) throw new IllegalArgumentException("fetch(" + amount + ")");
    if (amount == 0) return this;
    onContext(() -> session.queue().fetch(amount));
    return this;
  }

  @Override
  public Future<Void> done() {
    return session.done();
  }

  @Override
  public long ttl() {
    return session.ttlSeconds();
  }

  @Override
  public Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    onContext(() -> {
      session.close();
      closed.complete();
    });
    return closed.future();
  }

  /** Ends the keep-alive with an error as the client closes; the connection's close ends the stream. */
  Future<Void> stop(Throwable error) {
    Promise<Void> stopped = Promise.promise();
    onContext(() -> {
      session.stop(error, false);
      stopped.complete();
    });
    return stopped.future();
  }

  /** LeaseKeepAlive RPCs opened so far; for tests. */
  int streamsOpened() {
    return session.streamsOpened();
  }
}
