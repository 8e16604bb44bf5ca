package io.vkv.node.lock;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import io.vkv.api.EtcdException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Hands a lock or election call's CompletableFuture back to its event loop, with failures as etcd gives them. */
final class GrpcFutures {
  private static final Logger LOG = Logger.getLogger(GrpcFutures.class.getName());

  static <T> Future<T> on(CompletableFuture<T> f, Context context) {
    return Future.fromCompletionStage(f, context).transform(ar ->
        ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(toStatus(ar.cause())));
  }

  /**
   * etcd's lock and election servers hand errors back as plain errors: status UNKNOWN, etcd's message. Anything
   * else is a bug and answers INTERNAL, as the other services do (kept here so this package needs nothing of grpc).
   */
  static Throwable toStatus(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof CoordinationException || t instanceof EtcdException) {
      String message = t instanceof EtcdException e ? e.error().message() : t.getMessage();
      return new StatusException(GrpcStatus.UNKNOWN, message);
    }
    if (t instanceof StatusException) return t;
    LOG.log(Level.WARNING, "unexpected failure serving a lock or election request", t);
    return new StatusException(GrpcStatus.INTERNAL, "vkv: internal error: " + t);
  }

  private GrpcFutures() {}
}
