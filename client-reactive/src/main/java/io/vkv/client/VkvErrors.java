package io.vkv.client;

import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import io.vertx.grpc.common.GrpcErrorException;
import io.vertx.grpc.common.GrpcStatus;

/** Turns what a broken stream reports into a {@link VkvException}; lost connections and resets are UNAVAILABLE. */
final class VkvErrors {
  private VkvErrors() {
  }

  static VkvException classify(Transport.Endpoint endpoint, Throwable cause) {
    if (cause instanceof VkvException v) return v;
    if (cause instanceof GrpcErrorException g) return new VkvException(g.status(), g.getMessage(), g);
    if (cause instanceof StreamResetException || cause instanceof HttpClosedException) {
      return new VkvException(GrpcStatus.UNAVAILABLE, endpoint + ": " + cause.getMessage(), cause);
    }
    return new VkvException(GrpcStatus.UNAVAILABLE, endpoint + ": " + cause, cause);
  }
}
