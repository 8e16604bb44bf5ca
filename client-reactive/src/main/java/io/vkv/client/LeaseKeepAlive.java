package io.vkv.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;
import io.vkv.api.etcdserverpb.LeaseKeepAliveResponse;

/**
 * A lease kept alive in the background: a {@link ReadStream} of renewals ({@code getTTL()} is the TTL the server
 * granted again, in seconds). Keep-alives go out every TTL/3 whether or not the application reads the renewals;
 * while paused, only the latest undelivered renewal is kept.
 * <p>
 * It never stops silently: it fails ({@code exceptionHandler}, {@link #done()}) with {@link LeaseLostException} when
 * the server answers TTL &lt;= 0 (expired or revoked) or when no renewal arrived before the lease's deadline (the
 * last renewal plus its TTL; before the first, the call timeout plus one second); with a CANCELLED
 * {@link VkvException} when the client is closed. Lost connections and server errors are retried, on the next
 * endpoint, until then. It ends ({@code endHandler}) only after {@link #close()}.
 */
public interface LeaseKeepAlive extends ReadStream<LeaseKeepAliveResponse> {

  long leaseId();

  @Override
  LeaseKeepAlive handler(Handler<LeaseKeepAliveResponse> handler);

  @Override
  LeaseKeepAlive exceptionHandler(Handler<Throwable> handler);

  @Override
  LeaseKeepAlive endHandler(Handler<Void> handler);

  @Override
  LeaseKeepAlive pause();

  @Override
  LeaseKeepAlive resume();

  @Override
  LeaseKeepAlive fetch(long amount);

  /**
   * Fails with the terminal error (a {@link LeaseLostException} when the lease is lost), or completes after
   * {@link #close()}: a second way to learn the outcome, independent of the stream's handlers.
   */
  Future<Void> done();

  /** The TTL (seconds) of the last renewal, 0 before the first. Readable from any thread. */
  long ttl();

  /** Stops sending keep-alives and resets the stream; the lease itself is left to expire (revoke it to end it now). */
  Future<Void> close();
}
