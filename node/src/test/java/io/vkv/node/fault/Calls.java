package io.vkv.node.fault;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vkv.api.etcdserverpb.LeaseGrpcClient;
import io.vkv.api.etcdserverpb.LeaseKeepAliveRequest;
import java.util.concurrent.atomic.AtomicReference;

/** The lease and lock workloads' calls: a call with a deadline, and a single keep-alive. */
final class Calls {
  private Calls() {
  }

  /** {@code call}, failed if it did not end within {@code ms}: the caller then counts its outcome as unknown. */
  static <T> Future<T> timed(Vertx vertx, Future<T> call, long ms) {
    Promise<T> p = Promise.promise();
    long timer = vertx.setTimer(ms, x -> p.tryFail("timed out after " + ms + " ms"));
    call.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) p.tryComplete(ar.result());
      else p.tryFail(ar.cause());
    });
    return p.future();
  }

  /** A LeaseKeepAlive stream for one request, like {@code etcdctl lease keep-alive --once}: the TTL answered. */
  static Future<Long> keepAliveOnce(Vertx vertx, LeaseGrpcClient lease, long id, long timeoutMs) {
    Promise<Long> result = Promise.promise();
    AtomicReference<WriteStream<LeaseKeepAliveRequest>> stream = new AtomicReference<>();
    long timer = vertx.setTimer(timeoutMs, x -> result.tryFail("no keep-alive answer within " + timeoutMs + " ms"));
    lease.leaseKeepAlive((req, err) -> {
      if (err != null) return;
      stream.set(req);
      req.write(LeaseKeepAliveRequest.newBuilder().setID(id).build());
    }).onComplete(ar -> {
      if (ar.failed()) {
        result.tryFail(ar.cause());
        return;
      }
      ar.result().handler(r -> result.tryComplete(r.getTTL()));
      ar.result().exceptionHandler(result::tryFail);
      ar.result().endHandler(v -> result.tryFail("keep-alive stream ended"));
    });
    return result.future().andThen(ar -> {
      vertx.cancelTimer(timer);
      cancel(stream.get());
    });
  }

  /** Resets a client stream (nothing if it never opened or was already reset). */
  static void cancel(WriteStream<?> stream) {
    if (stream instanceof GrpcClientRequest<?, ?> g) {
      try {
        g.cancel();
      } catch (RuntimeException ignored) {
        // already reset by the other side
      }
    }
  }
}
