package io.vkv.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.etcdserverpb.LeaseGrpcClient;
import io.vkv.api.etcdserverpb.LeaseKeepAliveRequest;
import io.vkv.api.etcdserverpb.LeaseKeepAliveResponse;

/**
 * Keeps one lease alive over a sequence of LeaseKeepAlive RPCs: sends a keep-alive at once and then TTL/3 after each
 * answer, reopens the stream on the next endpoint with backoff when it breaks or an answer is overdue, and ends the
 * lease with {@link LeaseLostException} when the server answers TTL &lt;= 0 or the lease's deadline (last renewal +
 * TTL) passes first. Runs on one context.
 */
final class KeepAliveSession implements ResilientStream.Owner<LeaseKeepAliveRequest, LeaseKeepAliveResponse> {
  private static final long DEFAULT_FIRST_DEADLINE_NANOS = 5_000_000_000L;
  private static final long ONE_SECOND_NANOS = 1_000_000_000L;

  private final Transport transport;
  private final CallPolicy policy;
  private final long leaseId;
  private final DeliveryQueue<LeaseKeepAliveResponse> queue;
  private final Promise<Void> done = Promise.promise();
  private final Runnable onStopped;
  private final ResilientStream<LeaseKeepAliveRequest, LeaseKeepAliveResponse> stream;

  private boolean stopped;
  private boolean awaitingAnswer;
  private Throwable lastError;
  private long sendTimer = -1;
  private long answerTimer = -1;
  private long deadlineTimer = -1;
  private volatile long ttlSeconds;

  KeepAliveSession(Transport transport, CallPolicy policy, AuthTokens tokens, Context context, long leaseId, Runnable onStopped) {
    this.transport = transport;
    this.policy = policy;
    this.leaseId = leaseId;
    this.onStopped = onStopped;
    this.queue = new DeliveryQueue<>(context, () -> { }, LeaseKeepAliveResponse::getSerializedSize);
    this.stream = new ResilientStream<>(transport, policy, tokens, LeaseGrpcClient.LeaseKeepAlive, "keep-alive", false, this);
  }

  DeliveryQueue<LeaseKeepAliveResponse> queue() {
    return queue;
  }

  Future<Void> done() {
    return done.future();
  }

  long leaseId() {
    return leaseId;
  }

  long ttlSeconds() {
    return ttlSeconds;
  }

  int streamsOpened() {
    return stream.streamsOpened();
  }

  void start() {
    if (stopped) return;
    // the TTL is unknown until the first answer: give it as long as etcd's client does
    long first = policy.callTimeoutNanos() > 0 ? policy.callTimeoutNanos() + ONE_SECOND_NANOS : DEFAULT_FIRST_DEADLINE_NANOS;
    armDeadline(first);
    stream.open(null);
  }

  @Override
  public void opened(GrpcClientRequest<LeaseKeepAliveRequest, LeaseKeepAliveResponse> request) {
    awaitingAnswer = false;
    send();
  }

  private void send() {
    GrpcClientRequest<LeaseKeepAliveRequest, LeaseKeepAliveResponse> request = stream.request();
    if (stopped || request == null || awaitingAnswer) return;
    cancelTimer(sendTimer);
    sendTimer = -1;
    awaitingAnswer = true;
    request.write(LeaseKeepAliveRequest.newBuilder().setID(leaseId).build());
    // a short lease cannot wait a whole call timeout for an answer: another endpoint must get its chance in time
    long wait = policy.callTimeoutNanos();
    long third = ttlSeconds * ONE_SECOND_NANOS / 3;
    if (third > 0) wait = wait == 0 ? third : Math.min(wait, third);
    if (wait > 0) {
      int gen = stream.generation();
      answerTimer = transport.vertx().setTimer(millis(wait), id -> {
        answerTimer = -1;
        if (gen != stream.generation()) return;
        lost(new VkvException(GrpcStatus.UNAVAILABLE, stream.endpoint() + ": keep-alive not answered in time", null));
      });
    }
  }

  @Override
  public void message(LeaseKeepAliveResponse r) {
    if (stopped || r.getID() != leaseId) return;
    awaitingAnswer = false;
    cancelTimer(answerTimer);
    answerTimer = -1;
    if (r.getTTL() <= 0) {
      stop(new LeaseLostException(leaseId, LeaseLostException.Reason.EXPIRED_OR_REVOKED,
          "the server answered TTL " + r.getTTL() + " (expired or revoked)", null), true);
      return;
    }
    stream.resetBackoff();
    lastError = null;
    ttlSeconds = r.getTTL();
    armDeadline(r.getTTL() * ONE_SECOND_NANOS);
    queue.offerLatest(r);
    cancelTimer(sendTimer);
    sendTimer = transport.vertx().setTimer(millis(r.getTTL() * ONE_SECOND_NANOS / 3), id -> {
      sendTimer = -1;
      send(); // a stream being reopened sends its own first keep-alive
    });
  }

  /** The stream broke: reopen it on the next endpoint, at once the first time, then with backoff. */
  @Override
  public void lost(Throwable cause) {
    if (stopped) return;
    lastError = VkvErrors.classify(stream.endpoint(), cause);
    awaitingAnswer = false;
    cancelTimer(answerTimer);
    answerTimer = -1;
    stream.reconnect();
  }

  /** No token for the next stream (e.g. the password changed): retrying until the deadline would not help. */
  @Override
  public void authenticationFailed(VkvException error) {
    stop(error, true);
  }

  private void armDeadline(long nanos) {
    cancelTimer(deadlineTimer);
    deadlineTimer = transport.vertx().setTimer(millis(nanos), id -> {
      deadlineTimer = -1;
      long ttl = ttlSeconds;
      String detail = ttl > 0 ? "no keep-alive succeeded within its TTL of " + ttl + " s"
          : "no answer to the first keep-alive in time";
      stop(new LeaseLostException(leaseId, LeaseLostException.Reason.DEADLINE_PASSED,
          lastError == null ? detail : detail + " (last error: " + lastError.getMessage() + ")", lastError), true);
    });
  }

  /** The application's close: nothing more is delivered, the stream is reset, the end handler runs. */
  void close() {
    halt(true);
    queue.discard();
    queue.end();
    done.tryComplete();
  }

  /** Ends with {@code error}; {@code reset}: reset the RPC, else leave it to the connection's close. */
  void stop(Throwable error, boolean reset) {
    halt(reset);
    queue.fail(error);
    done.tryFail(error);
  }

  private void halt(boolean reset) {
    if (stopped) return;
    stopped = true;
    for (long t : new long[] {sendTimer, answerTimer, deadlineTimer}) cancelTimer(t);
    sendTimer = answerTimer = deadlineTimer = -1;
    stream.stop(reset);
    onStopped.run();
  }

  private void cancelTimer(long t) {
    if (t >= 0) transport.vertx().cancelTimer(t);
  }

  private static long millis(long nanos) {
    return ResilientStream.millis(nanos);
  }
}
