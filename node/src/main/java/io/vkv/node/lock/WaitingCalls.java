package io.vkv.node.lock;

import io.vertx.core.Context;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Lock and Campaign calls, served with the call in hand (bound with {@code GrpcServer.callHandler}; the generated
 * service only hands over the request) so that a caller who gives up while queued (cancel, deadline, lost
 * connection) is noticed: etcd's Mutex and Election then delete the caller's key, so that it never comes to hold
 * the lock or lead with no one behind it.
 */
final class WaitingCalls {
  /** {@code answer} gets the request and a future completed if the caller goes away before the answer. */
  static <Req, Resp> void serve(GrpcServerRequest<Req, Resp> call, Context context,
      BiFunction<Req, CompletableFuture<Void>, CompletableFuture<Resp>> answer) {
    CompletableFuture<Void> abandoned = new CompletableFuture<>();
    call.errorHandler(e -> abandoned.complete(null));
    call.exceptionHandler(e -> abandoned.complete(null));
    call.handler(request -> answer.apply(request, abandoned).whenComplete((response, failure) -> context.runOnContext(v -> {
      if (abandoned.isDone()) return; // the call is gone: nothing to answer
      if (failure == null) {
        call.response().end(response);
      } else {
        call.response().fail(GrpcFutures.toStatus(failure));
      }
    })));
  }

  /** True once {@code turn} completes, false if the caller went away first; fails as {@code turn} does. */
  static CompletableFuture<Boolean> unlessAbandoned(CompletableFuture<?> turn, CompletableFuture<Void> abandoned) {
    CompletableFuture<Boolean> ourTurn = new CompletableFuture<>();
    turn.whenComplete((v, e) -> {
      if (e != null) ourTurn.completeExceptionally(e);
      else ourTurn.complete(true);
    });
    abandoned.thenRun(() -> ourTurn.complete(false));
    return ourTurn;
  }

  private WaitingCalls() {}
}
