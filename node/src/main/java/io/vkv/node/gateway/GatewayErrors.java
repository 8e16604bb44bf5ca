package io.vkv.node.gateway;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A failed call as etcd's gateway answers it: the gRPC code's HTTP status and etcd's JSON error body. */
final class GatewayErrors {
  private static final Logger LOG = Logger.getLogger(GatewayErrors.class.getName());

  private GatewayErrors() {}

  /** grpc-gateway v1's mapping, the one etcd 3.4 ships (FailedPrecondition is still 412 there). */
  static int httpStatus(GrpcStatus status) {
    return switch (status) {
      case OK -> 200;
      case CANCELLED -> 408;
      case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
      case DEADLINE_EXCEEDED -> 504;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case PERMISSION_DENIED -> 403;
      case UNAUTHENTICATED -> 401;
      case RESOURCE_EXHAUSTED -> 429;
      case FAILED_PRECONDITION -> 412;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
      default -> 500; // UNKNOWN, INTERNAL, DATA_LOSS
    };
  }

  /** Answers the failure of a handler: a gRPC status as etcd would send it, anything else as INTERNAL. */
  static void answer(HttpServerResponse response, Throwable failure) {
    while (failure instanceof CompletionException && failure.getCause() != null) failure = failure.getCause();
    if (failure instanceof StatusException s) {
      answer(response, s.status(), s.message() == null ? "" : s.message());
    } else {
      LOG.log(Level.WARNING, "gateway call failed", failure);
      answer(response, GrpcStatus.INTERNAL, "vkv: internal error: " + failure);
    }
  }

  /** The last line of a stream that failed after its first result, as grpc-gateway v1 writes it. */
  static String streamError(Throwable failure) {
    while (failure instanceof CompletionException && failure.getCause() != null) failure = failure.getCause();
    GrpcStatus status = failure instanceof StatusException s ? s.status() : GrpcStatus.UNKNOWN;
    String message = failure instanceof StatusException s && s.message() != null ? s.message()
        : String.valueOf(failure.getMessage());
    int http = httpStatus(status);
    return "{\"error\":{\"grpc_code\":" + status.code + ",\"http_code\":" + http + ",\"message\":"
        + GatewayJson.quote(message) + ",\"http_status\":"
        + GatewayJson.quote(io.netty.handler.codec.http.HttpResponseStatus.valueOf(http).reasonPhrase()) + "}}";
  }

  static void answer(HttpServerResponse response, GrpcStatus status, String message) {
    if (response.ended() || response.closed()) return;
    response.setStatusCode(httpStatus(status)).putHeader("content-type", "application/json")
        .end(GatewayJson.error(status.code, message));
  }
}
