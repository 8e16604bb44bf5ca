package io.vkv.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
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
final class KeepAliveSession {
  private static final long DEFAULT_FIRST_DEADLINE_NANOS = 5_000_000_000L;
  private static final long ONE_SECOND_NANOS = 1_000_000_000L;

  private final Transport transport;
  private final CallPolicy policy;
  private final long leaseId;
  private final DeliveryQueue<LeaseKeepAliveResponse> queue;
  private final Promise<Void> done = Promise.promise();
  private final Runnable onStopped;

  /** Bumped per stream and on stop: callbacks of an older stream are ignored. */
  private int generation;
  private boolean stopped;
  private GrpcClientRequest<LeaseKeepAliveRequest, LeaseKeepAliveResponse> request;
  private Transport.Endpoint endpoint;
  private boolean awaitingAnswer;
  private int failures;
  private Throwable lastError;
  private long sendTimer = -1;
  private long answerTimer = -1;
  private long deadlineTimer = -1;
  private long reconnectTimer = -1;
  private volatile long ttlSeconds;
  private volatile int streamsOpened;

  KeepAliveSession(Transport transport, CallPolicy policy, Context context, long leaseId, Runnable onStopped) {
    this.transport = transport;
    this.policy = policy;
    this.leaseId = leaseId;
    this.onStopped = onStopped;
    this.queue = new DeliveryQueue<>(context, () -> { }, LeaseKeepAliveResponse::getSerializedSize);
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
    return streamsOpened;
  }

  void start() {
    if (stopped) return;
    // the TTL is unknown until the first answer: give it as long as etcd's client does
    long first = policy.callTimeoutNanos() > 0 ? policy.callTimeoutNanos() + ONE_SECOND_NANOS : DEFAULT_FIRST_DEADLINE_NANOS;
    armDeadline(first);
    connect(null);
  }

  private void connect(Transport.Endpoint previous) {
    int gen = ++generation;
    awaitingAnswer = false;
    Transport.Endpoint e = transport.pick(previous);
    endpoint = e;
    streamsOpened++;
    transport.channel().request(e.address, LeaseGrpcClient.LeaseKeepAlive).onComplete(opened -> {
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
      // STACK.md pitfall 5: nothing comes back before the first request, so write it right here
      send();
      request.response().onComplete(responded -> {
        if (gen != generation) return;
        if (responded.failed()) {
          lost(gen, responded.cause());
          return;
        }
        GrpcClientResponse<LeaseKeepAliveRequest, LeaseKeepAliveResponse> response = responded.result();
        response.handler(r -> onResponse(gen, r));
        response.exceptionHandler(t -> lost(gen, t));
        response.endHandler(v -> lost(gen, endedWith(response.status(), response.statusMessage())));
      });
    });
  }

  private void send() {
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
      int gen = generation;
      answerTimer = transport.vertx().setTimer(millis(wait), id -> {
        answerTimer = -1;
        lost(gen, new VkvException(GrpcStatus.UNAVAILABLE, endpoint + ": keep-alive not answered in time", null));
      });
    }
  }

  private void onResponse(int gen, LeaseKeepAliveResponse r) {
    if (gen != generation || stopped || r.getID() != leaseId) return;
    awaitingAnswer = false;
    cancelTimer(answerTimer);
    answerTimer = -1;
    if (r.getTTL() <= 0) {
      stop(new LeaseLostException(leaseId, LeaseLostException.Reason.EXPIRED_OR_REVOKED,
          "the server answered TTL " + r.getTTL() + " (expired or revoked)", null), true);
      return;
    }
    failures = 0;
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
  private void lost(int gen, Throwable cause) {
    if (gen != generation || stopped) return;
    lastError = VkvErrors.classify(endpoint, cause);
    generation++;
    closeStream();
    cancelTimer(answerTimer);
    answerTimer = -1;
    failures++;
    long delay = policy.streamBackoffNanos(failures, transport.endpointCount());
    Transport.Endpoint failed = endpoint;
    if (delay <= 0) {
      connect(failed);
    } else {
      reconnectTimer = transport.vertx().setTimer(millis(delay), id -> {
        reconnectTimer = -1;
        if (!stopped) connect(failed);
      });
    }
  }

  /** The server ended the stream: with its error (e.g. "no leader"), or cleanly, which is just as much a lost stream. */
  private VkvException endedWith(GrpcStatus status, String message) {
    if (status == null || status == GrpcStatus.OK) {
      return new VkvException(GrpcStatus.UNAVAILABLE, endpoint + ": keep-alive stream ended", null);
    }
    return new VkvException(status, message, null);
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
    generation++;
    for (long t : new long[] {sendTimer, answerTimer, deadlineTimer, reconnectTimer}) cancelTimer(t);
    sendTimer = answerTimer = deadlineTimer = reconnectTimer = -1;
    if (reset) {
      closeStream();
    } else {
      request = null;
    }
    onStopped.run();
  }

  private void closeStream() {
    GrpcClientRequest<LeaseKeepAliveRequest, LeaseKeepAliveResponse> r = request;
    request = null;
    awaitingAnswer = false;
    if (r != null) cancelQuietly(r);
  }

  private static void cancelQuietly(GrpcClientRequest<?, ?> r) {
    try {
      r.cancel();
    } catch (RuntimeException ignored) {
      // already reset or closed
    }
  }

  private void cancelTimer(long t) {
    if (t >= 0) transport.vertx().cancelTimer(t);
  }

  private static long millis(long nanos) {
    return Math.max(1, nanos / 1_000_000);
  }
}
