package io.vkv.node.grpc;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import io.vkv.api.EtcdException;
import io.vkv.node.lock.CoordinationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Hands a lock or election call's CompletableFuture back to its event loop, with failures as etcd gives them. */
public final class GrpcFutures {
  public static <T> Future<T> on(CompletableFuture<T> f, Context context) {
    return Future.fromCompletionStage(f, context).transform(ar ->
        ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(toStatus(ar.cause())));
  }

  /** etcd's lock and election servers hand errors back as plain errors: status UNKNOWN, etcd's message. */
  public static Throwable toStatus(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    if (t instanceof CoordinationException || t instanceof EtcdException) {
      String message = t instanceof EtcdException e ? e.error().message() : t.getMessage();
      return new StatusException(GrpcStatus.UNKNOWN, message);
    }
    return GrpcErrors.toStatus(t);
  }

  private GrpcFutures() {}
}
