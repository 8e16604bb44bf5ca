package io.vkv.client;

import io.vertx.core.Future;
import io.vertx.grpc.common.ServiceMethod;

/** Starts unary calls for the sub-clients; the one place that knows about retries, deadlines and tokens. */
final class Invoker {
  private final Transport transport;
  private final CallPolicy policy;
  private final AuthTokens tokens;

  Invoker(Transport transport, CallPolicy policy, AuthTokens tokens) {
    this.transport = transport;
    this.policy = policy;
    this.tokens = tokens;
  }

  /** A call to any endpoint; {@code idempotent} calls may be retried on another endpoint after they were sent. */
  <Req, Resp> Future<Resp> call(ServiceMethod<Resp, Req> method, Req request, boolean idempotent) {
    return new UnaryCall<>(transport, policy, method, request, idempotent, null, tokens).start();
  }

  /** A call with its own deadline ({@code timeoutNanos}, 0: none) instead of the client's call timeout. */
  <Req, Resp> Future<Resp> call(ServiceMethod<Resp, Req> method, Req request, boolean idempotent, long timeoutNanos) {
    return new UnaryCall<>(transport, policy.withTimeout(timeoutNanos), method, request, idempotent, null, tokens).start();
  }

  /**
   * The first response of a streaming RPC to one request, e.g. a single lease keep-alive; the stream is reset once it
   * arrived. Retried like a unary call.
   */
  <Req, Resp> Future<Resp> callFirst(ServiceMethod<Resp, Req> method, Req request, boolean idempotent) {
    return new UnaryCall<>(transport, policy, method, request, idempotent, null, tokens).firstResponseOnly().start();
  }

  /** A call to one named endpoint, e.g. a member's own status; retried there only. */
  <Req, Resp> Future<Resp> callEndpoint(String endpoint, ServiceMethod<Resp, Req> method, Req request) {
    Transport.Endpoint e;
    try {
      e = transport.endpoint(endpoint);
    } catch (IllegalArgumentException ex) {
      return Future.failedFuture(ex);
    }
    return new UnaryCall<>(transport, policy, method, request, true, e, tokens).start();
  }
}
