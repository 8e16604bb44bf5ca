package io.vkv.node.grpc;

import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import io.vkv.api.EtcdException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Turns failures into the gRPC status and message an etcd client expects. */
final class GrpcErrors {
  private static final Logger LOG = Logger.getLogger(GrpcErrors.class.getName());

  static Throwable toStatus(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof StatusException) return t;
    if (t instanceof EtcdException e) return new StatusException(e.error().status(), e.error().message());
    LOG.log(Level.WARNING, "unexpected failure serving a request", t);
    return new StatusException(GrpcStatus.INTERNAL, "vkv: internal error: " + t);
  }

  static StatusException unimplemented(String method) {
    return new StatusException(GrpcStatus.UNIMPLEMENTED, "vkv: " + method + " is not implemented yet");
  }

  private GrpcErrors() {}
}
