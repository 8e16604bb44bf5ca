package io.vkv.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.concurrent.TimeUnit;

/**
 * One unary call with its deadline and failover. An attempt that could not even open a stream sent nothing, so any
 * call may move to the next endpoint; after the request went out only idempotent calls are retried, and only on
 * UNAVAILABLE (the server's "try elsewhere" and every lost-connection case). With credentials, the call first
 * gets the client's token and sends it as the {@code token} header; when the server refuses the token (expired, or
 * issued before an auth change) the call fetches a new one and is sent once more, whatever it is: a refused token
 * means the server did not apply the request.
 */
final class UnaryCall<Req, Resp> {
  /** What etcd's lock and election servers answer, as status UNKNOWN, when the call's grpc-timeout expires there. */
  private static final String SERVER_DEADLINE = "context deadline exceeded";
  private final Transport transport;
  private final CallPolicy policy;
  private final ServiceMethod<Resp, Req> method;
  private final Req request;
  private final boolean idempotent;
  private final Transport.Endpoint pinned;
  private final AuthTokens tokens;
  private final Promise<Resp> promise = Promise.promise();
  private final long deadlineNanos;
  private int attempt;
  /** Take the first message of a server stream and reset it, instead of waiting for the stream's end. */
  private boolean firstOnly;
  /** The token sent ("" for none); replaced at most once, after the server refused it. */
  private String token;
  private boolean tokenRefreshed;
  private volatile GrpcClientRequest<Req, Resp> inflight;
  private volatile long timer = -1;

  UnaryCall(Transport transport, CallPolicy policy, ServiceMethod<Resp, Req> method, Req request, boolean idempotent,
            Transport.Endpoint pinned, AuthTokens tokens) {
    this.transport = transport;
    this.policy = policy;
    this.method = method;
    this.request = request;
    this.idempotent = idempotent;
    this.pinned = pinned;
    this.tokens = tokens;
    this.deadlineNanos = policy.callTimeoutNanos() == 0 ? 0 : System.nanoTime() + policy.callTimeoutNanos();
  }

  UnaryCall<Req, Resp> firstResponseOnly() {
    firstOnly = true;
    return this;
  }

  Future<Resp> start() {
    if (deadlineNanos != 0) {
      timer = transport.vertx().setTimer(Math.max(1, policy.callTimeoutNanos() / 1_000_000), id -> expire());
    }
    String known = tokens.enabled() ? tokens.cached() : "";
    if (known != null) {
      token = known;
      send(null);
    } else {
      tokens.current().onComplete(got -> {
        if (got.failed()) {
          fail(VkvErrors.classify(null, got.cause()));
        } else if (!promise.future().isComplete()) {
          token = got.result();
          send(null);
        }
      });
    }
    return promise.future();
  }

  private void send(Transport.Endpoint previous) {
    attempt++;
    Transport.Endpoint endpoint = pinned != null ? pinned : transport.pick(previous);
    transport.channel().request(endpoint.address, method).onComplete(opened -> {
      if (opened.failed()) {
        transport.markDown(endpoint, policy.maxBackoffNanos());
        failed(endpoint, unavailable(endpoint, opened.cause()), true);
        return;
      }
      GrpcClientRequest<Req, Resp> req = opened.result();
      if (promise.future().isComplete()) { // the deadline passed while connecting
        req.cancel();
        return;
      }
      inflight = req;
      if (!token.isEmpty()) req.headers().set(AuthTokens.HEADER, token);
      if (deadlineNanos != 0) req.timeout(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
      req.end(request);
      req.response().onComplete(responded -> {
        if (responded.failed()) {
          failed(endpoint, fromThrowable(endpoint, responded.cause()), false);
          return;
        }
        GrpcClientResponse<Req, Resp> resp = responded.result();
        if (firstOnly) {
          readFirst(endpoint, req, resp);
          return;
        }
        resp.last().onComplete(last -> {
          if (last.succeeded()) {
            succeed(last.result());
          } else if (resp.status() != null && resp.status() != GrpcStatus.OK) {
            failed(endpoint, new VkvException(resp.status(), resp.statusMessage(), null), false);
          } else {
            failed(endpoint, fromThrowable(endpoint, last.cause()), false);
          }
        });
      });
    });
  }

  private void readFirst(Transport.Endpoint endpoint, GrpcClientRequest<Req, Resp> req, GrpcClientResponse<Req, Resp> resp) {
    resp.handler(message -> {
      if (promise.future().isComplete()) return;
      succeed(message);
      try {
        req.cancel(); // the one answer is in: drop the stream rather than wait for the server to end it
      } catch (RuntimeException ignored) {
        // already ended
      }
    });
    resp.end().onComplete(ended -> {
      if (promise.future().isComplete()) return;
      if (resp.status() != null && resp.status() != GrpcStatus.OK) {
        failed(endpoint, new VkvException(resp.status(), resp.statusMessage(), null), false);
      } else if (ended.failed()) {
        failed(endpoint, fromThrowable(endpoint, ended.cause()), false);
      } else {
        failed(endpoint, new VkvException(GrpcStatus.UNAVAILABLE, endpoint + ": stream ended without a response", null), false);
      }
    });
  }

  private void failed(Transport.Endpoint endpoint, VkvException error, boolean notSent) {
    inflight = null;
    if (promise.future().isComplete()) return;
    if (!tokenRefreshed && tokens.rejected(error)) {
      refreshToken(endpoint);
      return;
    }
    if (error.status() == GrpcStatus.UNKNOWN && SERVER_DEADLINE.equals(error.getMessage())) {
      // the grpc-timeout we sent ran out on the server a moment before our own timer: the same deadline
      fail(new VkvException(GrpcStatus.DEADLINE_EXCEEDED, SERVER_DEADLINE, error));
      return;
    }
    boolean retry = error.status() == GrpcStatus.UNAVAILABLE && (notSent || idempotent) && attempt < policy.maxAttempts();
    long delay = backoffNanos();
    if (retry && deadlineNanos != 0 && deadlineNanos - System.nanoTime() <= delay) retry = false;
    if (!retry) {
      fail(error);
    } else if (delay <= 0) {
      send(endpoint);
    } else {
      transport.vertx().setTimer(Math.max(1, delay / 1_000_000), id -> {
        if (!promise.future().isComplete()) send(endpoint);
      });
    }
  }

  /** Sends the call once more with a new token; a failure to get one (e.g. a changed password) fails the call. */
  private void refreshToken(Transport.Endpoint endpoint) {
    tokenRefreshed = true;
    tokens.refresh(token).onComplete(got -> {
      if (promise.future().isComplete()) return;
      if (got.failed()) {
        fail(VkvErrors.classify(endpoint, got.cause()));
      } else {
        token = got.result();
        send(null);
      }
    });
  }

  /** No pause before the first retry when another endpoint can take it; exponential after that. */
  private long backoffNanos() {
    int waits = transport.endpointCount() > 1 && pinned == null ? attempt - 1 : attempt;
    if (waits <= 0) return 0;
    long d = policy.backoffNanos() << Math.min(20, waits - 1);
    return Math.min(d < 0 ? Long.MAX_VALUE : d, policy.maxBackoffNanos());
  }

  private void expire() {
    timer = -1;
    GrpcClientRequest<Req, Resp> req = inflight;
    if (promise.tryFail(new VkvException(GrpcStatus.DEADLINE_EXCEEDED, SERVER_DEADLINE, null)) && req != null) {
      req.cancel();
    }
  }

  private void succeed(Resp resp) {
    cancelTimer();
    promise.tryComplete(resp);
  }

  private void fail(VkvException e) {
    cancelTimer();
    promise.tryFail(e);
  }

  private void cancelTimer() {
    long t = timer;
    if (t >= 0) transport.vertx().cancelTimer(t);
  }

  private static VkvException unavailable(Transport.Endpoint endpoint, Throwable cause) {
    return new VkvException(GrpcStatus.UNAVAILABLE, endpoint + ": " + cause.getMessage(), cause);
  }

  private static VkvException fromThrowable(Transport.Endpoint endpoint, Throwable cause) {
    if (cause instanceof VkvException v) return v;
    if (cause instanceof GrpcErrorException g) return new VkvException(g.status(), g.getMessage(), g);
    if (cause instanceof StreamResetException || cause instanceof HttpClosedException) return unavailable(endpoint, cause);
    return new VkvException(GrpcStatus.UNAVAILABLE, endpoint + ": " + cause, cause);
  }
}
