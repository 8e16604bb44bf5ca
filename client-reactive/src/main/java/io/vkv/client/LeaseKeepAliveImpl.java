package io.vkv.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vkv.api.etcdserverpb.LeaseKeepAliveResponse;

/** The public face of a keep-alive: hops every call onto the session's context. */
final class LeaseKeepAliveImpl extends QueuedReadStream<LeaseKeepAliveResponse, LeaseKeepAlive>
    implements LeaseKeepAlive {
  private final KeepAliveSession session;

  LeaseKeepAliveImpl(Context context, KeepAliveSession session) {
    super(context);
    this.session = session;
  }

  @Override
  DeliveryQueue<LeaseKeepAliveResponse> queue() {
    return session.queue();
  }

  void start() {
    onContext(session::start);
  }

  @Override
  public long leaseId() {
    return session.leaseId();
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
