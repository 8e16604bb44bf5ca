package io.vkv.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;

/**
 * The stream half every long-lived client stream shares (watch, keep-alive, observe): opens one RPC at a time on the
 * next endpoint, drops the callbacks of every stream but the current one, and reopens after a failure with
 * {@link CallPolicy#streamBackoffNanos}. What to send and whether to retry is the owner's call ({@link Owner}).
 * With credentials every stream sends the client's current token; after the server refused it (or the owner says it
 * did, {@link #tokenRejected()}) the next stream fetches a new one. Runs on the owner's context.
 */
final class ResilientStream<Req, Resp> {
  /** The session a stream serves; called only for the current stream, never after {@link #stop}. */
  interface Owner<Req, Resp> {
    /** A new RPC is open: write its first request (the server answers nothing before it). */
    void opened(GrpcClientRequest<Req, Resp> request);

    /** The response's handlers are set; a paced owner fetches here. */
    default void responding() {
    }

    void message(Resp message);

    /** The stream broke, failed to open or ended (a clean end is UNAVAILABLE): retry with {@link #reconnect} or stop. */
    void lost(Throwable cause);

    /**
     * No token could be had for the next stream (e.g. wrong password, deleted user): a lost stream unless the owner
     * would retry it forever, which must not turn into an Authenticate loop.
     */
    default void authenticationFailed(VkvException error) {
      lost(error);
    }
  }

  private final Transport transport;
  private final CallPolicy policy;
  private final ServiceMethod<Resp, Req> method;
  private final String name;
  /** Paced: responses are read one {@link #fetchOne()} at a time; else they flow. */
  private final boolean paced;
  private final Owner<Req, Resp> owner;
  private final AuthTokens tokens;

  /** Bumped per stream and on stop: callbacks of an older stream are ignored. */
  private int generation;
  private boolean stopped;
  private GrpcClientRequest<Req, Resp> request;
  private GrpcClientResponse<Req, Resp> response;
  private boolean fetching;
  private Transport.Endpoint endpoint;
  private int failures;
  /** The token the current stream sent; {@link #rejectedToken} once the server refused it. */
  private String streamToken;
  private String rejectedToken;
  private long reconnectTimer = -1;
  // written on the context, read by tests
  private volatile int streamsOpened;

  ResilientStream(Transport transport, CallPolicy policy, AuthTokens tokens, ServiceMethod<Resp, Req> method,
      String name, boolean paced, Owner<Req, Resp> owner) {
    this.transport = transport;
    this.policy = policy;
    this.method = method;
    this.name = name;
    this.paced = paced;
    this.owner = owner;
    this.tokens = tokens;
  }

  /** Opens a stream on the endpoint after {@code previous} (null: the first one), with a token when needed. */
  void open(Transport.Endpoint previous) {
    if (stopped) return;
    int gen = ++generation;
    fetching = false;
    Transport.Endpoint e = transport.pick(previous);
    endpoint = e;
    streamsOpened++;
    String rejected = rejectedToken;
    rejectedToken = null;
    String known = !tokens.enabled() ? "" : rejected == null ? tokens.cached() : null;
    if (known != null) {
      open(gen, e, known);
      return;
    }
    Context context = Vertx.currentContext();
    Future<String> token = rejected == null ? tokens.current() : tokens.refresh(rejected);
    token.onComplete(got -> onContext(context, () -> {
      if (gen != generation) return;
      if (got.failed()) {
        VkvException error = VkvErrors.classify(e, got.cause());
        if (retryable(error.status())) {
          owner.lost(error);
        } else {
          owner.authenticationFailed(error);
        }
        return;
      }
      open(gen, e, got.result());
    }));
  }

  private static void onContext(Context context, Runnable action) {
    if (context == null) {
      action.run();
    } else {
      OnContext.run(context, action);
    }
  }

  private void open(int gen, Transport.Endpoint e, String token) {
    streamToken = token;
    transport.channel().request(e.address, method).onComplete(opened -> {
      if (gen != generation) {
        if (opened.succeeded()) cancelQuietly(opened.result());
        return;
      }
      if (opened.failed()) {
        transport.markDown(e, policy.maxBackoffNanos());
        owner.lost(opened.cause());
        return;
      }
      request = opened.result();
      if (!token.isEmpty()) request.headers().set(AuthTokens.HEADER, token);
      request.exceptionHandler(t -> lost(gen, t));
      owner.opened(request);
      request.response().onComplete(responded -> {
        if (gen != generation) return;
        if (responded.failed()) {
          lost(gen, responded.cause());
          return;
        }
        GrpcClientResponse<Req, Resp> r = responded.result();
        response = r;
        if (paced) r.pause();
        r.handler(m -> {
          if (gen != generation) return;
          fetching = false;
          owner.message(m);
        });
        r.exceptionHandler(t -> lost(gen, t));
        r.endHandler(v -> lost(gen, endedWith(r.status(), r.statusMessage())));
        owner.responding();
      });
    });
  }

  private void lost(int gen, Throwable cause) {
    if (gen != generation || stopped) return;
    if (tokens.enabled() && tokens.rejected(VkvErrors.classify(endpoint, cause))) tokenRejected();
    owner.lost(cause);
  }

  /** The server refused the current stream's token: the next stream is opened with a new one. */
  void tokenRejected() {
    rejectedToken = streamToken;
  }

  /** Worth another stream: a lost connection or "no leader", or a refused token that a new one may cure. */
  boolean retryable(VkvException error) {
    return retryable(error.status()) || tokens.rejected(error);
  }

  /** The server ended the stream: with its error (e.g. "no leader"), or cleanly, which is just as much a lost stream. */
  private VkvException endedWith(GrpcStatus status, String message) {
    if (status == null || status == GrpcStatus.OK) {
      return new VkvException(GrpcStatus.UNAVAILABLE, endpoint + ": " + name + " stream ended", null);
    }
    return new VkvException(status, message, null);
  }

  /** Drops the current stream and opens the next one: at once the first time, then with backoff. */
  void reconnect() {
    drop(true);
    failures++;
    long delay = policy.streamBackoffNanos(failures, transport.endpointCount());
    Transport.Endpoint failed = endpoint;
    if (delay <= 0) {
      open(failed);
    } else {
      reconnectTimer = transport.vertx().setTimer(millis(delay), id -> {
        reconnectTimer = -1;
        open(failed);
      });
    }
  }

  /** The stream proved healthy: the next failure reconnects without waiting again. */
  void resetBackoff() {
    failures = 0;
  }

  /** Reads one more response, unless one is already asked for. */
  void fetchOne() {
    if (stopped || response == null || fetching) return;
    fetching = true;
    response.fetch(1);
  }

  /** For good. {@code reset}: reset the RPC; else leave it to the connection's close (the client is closing). */
  void stop(boolean reset) {
    if (stopped) return;
    stopped = true;
    if (reconnectTimer >= 0) transport.vertx().cancelTimer(reconnectTimer);
    reconnectTimer = -1;
    drop(reset);
  }

  private void drop(boolean reset) {
    generation++;
    GrpcClientRequest<Req, Resp> r = request;
    request = null;
    response = null;
    fetching = false;
    if (reset && r != null) cancelQuietly(r); // RST_STREAM: the server drops its side with the stream
  }

  /** The current stream's request, null while none is open. */
  GrpcClientRequest<Req, Resp> request() {
    return request;
  }

  Transport.Endpoint endpoint() {
    return endpoint;
  }

  /** The stream number, for timers of the owner that belong to one stream. */
  int generation() {
    return generation;
  }

  int streamsOpened() {
    return streamsOpened;
  }

  /** etcd's clients retry a stream on UNAVAILABLE (no leader, lost connection) and INTERNAL; others are final. */
  static boolean retryable(GrpcStatus status) {
    return status == GrpcStatus.UNAVAILABLE || status == GrpcStatus.INTERNAL;
  }

  static long millis(long nanos) {
    return Math.max(1, nanos / 1_000_000);
  }

  private static void cancelQuietly(GrpcClientRequest<?, ?> r) {
    try {
      r.cancel();
    } catch (RuntimeException ignored) {
      // already reset or closed
    }
  }
}
