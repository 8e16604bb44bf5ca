package io.vkv.client;

import com.google.protobuf.ByteString;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.v3electionpb.ElectionGrpcClient;
import io.vkv.api.v3electionpb.LeaderRequest;
import io.vkv.api.v3electionpb.LeaderResponse;

/**
 * One Election.Observe kept open over a sequence of RPCs: reads at most one response ahead of demand, reopens the
 * stream on the next endpoint with backoff when it breaks, and drops a repeat of the last leader delivered (a new
 * stream starts with the current leader). Internal state lives on {@code context}; public methods hop onto it.
 */
final class ObserveStream implements LeaderStream {
  private final Transport transport;
  private final CallPolicy policy;
  private final Context context;
  private final LeaderRequest leaderRequest;
  private final Runnable onStopped;
  private final DeliveryQueue<LeaderResponse> queue;

  private int generation;
  private boolean stopped;
  private GrpcClientRequest<LeaderRequest, LeaderResponse> request;
  private GrpcClientResponse<LeaderRequest, LeaderResponse> response;
  private boolean fetching;
  private Transport.Endpoint endpoint;
  private int failures;
  private long timer = -1;
  /** The last leader delivered, as (key, mod revision): a proclaim changes the revision, a new leader the key. */
  private ByteString lastKey;
  private long lastModRevision;

  ObserveStream(Transport transport, CallPolicy policy, Context context, LeaderRequest leaderRequest, Runnable onStopped) {
    this.transport = transport;
    this.policy = policy;
    this.context = context;
    this.leaderRequest = leaderRequest;
    this.onStopped = onStopped;
    this.queue = new DeliveryQueue<>(context, this::pump, LeaderResponse::getSerializedSize);
  }

  void start() {
    OnContext.run(context, () -> connect(null));
  }

  private void connect(Transport.Endpoint previous) {
    if (stopped) return;
    int gen = ++generation;
    fetching = false;
    Transport.Endpoint e = transport.pick(previous);
    endpoint = e;
    transport.channel().request(e.address, ElectionGrpcClient.Observe).onComplete(opened -> {
      if (gen != generation) {
        if (opened.succeeded()) cancelQuietly(opened.result());
        return;
      }
      if (opened.failed()) {
        transport.markDown(e, policy.maxBackoffNanos());
        lost(gen, opened.cause());
        return;
      }
      request = opened.result();
      request.exceptionHandler(t -> lost(gen, t));
      request.end(leaderRequest);
      request.response().onComplete(responded -> {
        if (gen != generation) return;
        if (responded.failed()) {
          lost(gen, responded.cause());
          return;
        }
        response = responded.result();
        response.pause();
        response.handler(r -> onResponse(gen, r));
        response.exceptionHandler(t -> lost(gen, t));
        response.endHandler(v -> ended(gen));
        pump();
      });
    });
  }

  private void pump() {
    if (stopped || response == null || fetching || !queue.wantsMore()) return;
    fetching = true;
    response.fetch(1);
  }

  private void onResponse(int gen, LeaderResponse r) {
    if (gen != generation) return;
    fetching = false;
    failures = 0;
    ByteString key = r.getKv().getKey();
    long rev = r.getKv().getModRevision();
    if (!(key.equals(lastKey) && rev == lastModRevision)) {
      lastKey = key;
      lastModRevision = rev;
      queue.add(r);
    }
    pump();
  }

  /** The server ended the RPC: OK and UNAVAILABLE/INTERNAL are retried, anything else ends the stream. */
  private void ended(int gen) {
    if (gen != generation) return;
    GrpcStatus status = response.status();
    if (status == null || status == GrpcStatus.OK || retryable(status)) {
      lost(gen, new VkvException(GrpcStatus.UNAVAILABLE, endpoint + ": observe stream ended", null));
    } else {
      stopOnContext(new VkvException(status, response.statusMessage(), null));
    }
  }

  private void lost(int gen, Throwable cause) {
    if (gen != generation || stopped) return;
    VkvException error = VkvErrors.classify(endpoint, cause);
    if (!retryable(error.status())) {
      stopOnContext(error);
      return;
    }
    generation++;
    closeStream();
    failures++;
    long delay = policy.streamBackoffNanos(failures, transport.endpointCount());
    Transport.Endpoint failed = endpoint;
    if (delay <= 0) {
      connect(failed);
    } else {
      timer = transport.vertx().setTimer(Math.max(1, delay / 1_000_000), id -> {
        timer = -1;
        connect(failed);
      });
    }
  }

  private static boolean retryable(GrpcStatus status) {
    return status == GrpcStatus.UNAVAILABLE || status == GrpcStatus.INTERNAL;
  }

  private void stopOnContext(Throwable error) {
    halt(true);
    queue.fail(error);
  }

  /** Ends the stream with {@code error} as the client closes; the connection's close ends the RPC. */
  Future<Void> stop(Throwable error) {
    Promise<Void> done = Promise.promise();
    OnContext.run(context, () -> {
      halt(false);
      queue.fail(error);
      done.complete();
    });
    return done.future();
  }

  private void halt(boolean reset) {
    if (stopped) return;
    stopped = true;
    generation++;
    if (timer >= 0) transport.vertx().cancelTimer(timer);
    timer = -1;
    if (reset) {
      closeStream();
    } else {
      request = null;
      response = null;
    }
    onStopped.run();
  }

  private void closeStream() {
    GrpcClientRequest<LeaderRequest, LeaderResponse> r = request;
    request = null;
    response = null;
    fetching = false;
    if (r != null) cancelQuietly(r);
  }

  private static void cancelQuietly(GrpcClientRequest<?, ?> r) {
    try {
      r.cancel();
    } catch (RuntimeException ignored) {
      // already reset or closed
    }
  }

  @Override
  public Future<Void> cancel() {
    Promise<Void> done = Promise.promise();
    OnContext.run(context, () -> {
      halt(true);
      queue.discard();
      queue.end();
      done.complete();
    });
    return done.future();
  }

  @Override
  public LeaderStream handler(Handler<LeaderResponse> handler) {
    OnContext.run(context, () -> queue.handler(handler));
    return this;
  }

  @Override
  public LeaderStream exceptionHandler(Handler<Throwable> handler) {
    OnContext.run(context, () -> queue.exceptionHandler(handler));
    return this;
  }

  @Override
  public LeaderStream endHandler(Handler<Void> handler) {
    OnContext.run(context, () -> queue.endHandler(handler));
    return this;
  }

  @Override
  public LeaderStream pause() {
    OnContext.run(context, queue::pause);
    return this;
  }

  @Override
  public LeaderStream resume() {
    OnContext.run(context, queue::resume);
    return this;
  }

  @Override
  public LeaderStream fetch(long amount) {
    if (amount < 0) throw new IllegalArgumentException("fetch(" + amount + ")");
    if (amount > 0) OnContext.run(context, () -> queue.fetch(amount));
    return this;
  }
}
