package io.vkv.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;
import io.vkv.api.v3electionpb.LeaderResponse;

/**
 * An election observed as a {@link ReadStream} of leaders ({@code getKv()}: the leader's key, value and lease).
 * In fetch mode the client reads from the server only what was asked for. Lost connections and UNAVAILABLE are
 * retried without end; other errors (e.g. a server without the Election service) end the stream through
 * {@code exceptionHandler}. It ends ({@code endHandler}) after {@link #cancel()}.
 */
public interface LeaderStream extends ReadStream<LeaderResponse> {

  @Override
  LeaderStream handler(Handler<LeaderResponse> handler);

  @Override
  LeaderStream exceptionHandler(Handler<Throwable> handler);

  @Override
  LeaderStream endHandler(Handler<Void> handler);

  @Override
  LeaderStream pause();

  @Override
  LeaderStream resume();

  @Override
  LeaderStream fetch(long amount);

  /** Stops observing: nothing more is delivered, the RPC is reset and {@code endHandler} is called. Idempotent. */
  Future<Void> cancel();
}
