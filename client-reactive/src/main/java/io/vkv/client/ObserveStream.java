package io.vkv.client;

import com.google.protobuf.ByteString;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vkv.api.v3electionpb.ElectionGrpcClient;
import io.vkv.api.v3electionpb.LeaderRequest;
import io.vkv.api.v3electionpb.LeaderResponse;

/**
 * One Election.Observe kept open over a sequence of RPCs: reads at most one response ahead of demand, reopens the
 * stream on the next endpoint with backoff when it breaks, and drops a repeat of the last leader delivered (a new
 * stream starts with the current leader). Internal state lives on {@code context}; public methods hop onto it.
 */
final class ObserveStream extends QueuedReadStream<LeaderResponse, LeaderStream>
    implements LeaderStream, ResilientStream.Owner<LeaderRequest, LeaderResponse> {
  private final LeaderRequest leaderRequest;
  private final Runnable onStopped;
  private final DeliveryQueue<LeaderResponse> queue;
  private final ResilientStream<LeaderRequest, LeaderResponse> stream;

  private boolean stopped;
  /** The last leader delivered, as (key, mod revision): a proclaim changes the revision, a new leader the key. */
  private ByteString lastKey;
  private long lastModRevision;

  ObserveStream(Transport transport, CallPolicy policy, AuthTokens tokens, Context context, LeaderRequest leaderRequest, Runnable onStopped) {
    super(context);
    this.leaderRequest = leaderRequest;
    this.onStopped = onStopped;
    this.queue = new DeliveryQueue<>(context, this::pump, LeaderResponse::getSerializedSize);
    this.stream = new ResilientStream<>(transport, policy, tokens, ElectionGrpcClient.Observe, "observe", true, this);
  }

  @Override
  DeliveryQueue<LeaderResponse> queue() {
    return queue;
  }

  void start() {
    onContext(() -> stream.open(null));
  }

  @Override
  public void opened(GrpcClientRequest<LeaderRequest, LeaderResponse> request) {
    request.end(leaderRequest);
  }

  @Override
  public void responding() {
    pump();
  }

  private void pump() {
    if (!stopped && queue.wantsMore()) stream.fetchOne();
  }

  @Override
  public void message(LeaderResponse r) {
    stream.resetBackoff();
    ByteString key = r.getKv().getKey();
    long rev = r.getKv().getModRevision();
    if (!(key.equals(lastKey) && rev == lastModRevision)) {
      lastKey = key;
      lastModRevision = rev;
      queue.add(r);
    }
    pump();
  }

  /** OK and UNAVAILABLE/INTERNAL are retried, anything else ends the stream. */
  @Override
  public void lost(Throwable cause) {
    if (stopped) return;
    VkvException error = VkvErrors.classify(stream.endpoint(), cause);
    if (!stream.retryable(error)) {
      stopOnContext(error);
      return;
    }
    stream.reconnect();
  }

  private void stopOnContext(Throwable error) {
    halt(true);
    queue.fail(error);
  }

  /** Ends the stream with {@code error} as the client closes; the connection's close ends the RPC. */
  Future<Void> stop(Throwable error) {
    Promise<Void> done = Promise.promise();
    onContext(() -> {
      halt(false);
      queue.fail(error);
      done.complete();
    });
    return done.future();
  }

  private void halt(boolean reset) {
    if (stopped) return;
    stopped = true;
    stream.stop(reset);
    onStopped.run();
  }

  @Override
  public Future<Void> cancel() {
    Promise<Void> done = Promise.promise();
    onContext(() -> {
      halt(true);
      queue.discard();
      queue.end();
      done.complete();
    });
    return done.future();
  }

}
