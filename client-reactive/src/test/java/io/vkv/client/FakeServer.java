package io.vkv.client;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in gRPC server on an ephemeral loopback port (HTTP/2 prior knowledge) that either never answers or
 * answers every call with UNAVAILABLE (or etcd's server-side deadline error), to drive the client's deadline and failover paths.
 */
final class FakeServer implements AutoCloseable {
  enum Mode { SILENT, UNAVAILABLE, SERVER_DEADLINE }

  final AtomicInteger calls = new AtomicInteger();
  final Queue<String> grpcTimeouts = new ConcurrentLinkedQueue<>();
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;

  FakeServer(Mode mode) {
    server = Await.result(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(req -> handle(mode, req))
        .listen());
  }

  private void handle(Mode mode, HttpServerRequest req) {
    calls.incrementAndGet();
    String timeout = req.getHeader("grpc-timeout");
    if (timeout != null) grpcTimeouts.add(timeout);
    req.endHandler(v -> {
      if (mode == Mode.UNAVAILABLE) {
        // a trailers-only reply, as etcd sends for "etcdserver: no leader"
        req.response().putHeader("content-type", "application/grpc")
            .putHeader("grpc-status", "14")
            .putHeader("grpc-message", "etcdserver: no leader")
            .end();
      } else if (mode == Mode.SERVER_DEADLINE) {
        // what etcd's lock server answers when the call's grpc-timeout ran out there first
        req.response().putHeader("content-type", "application/grpc")
            .putHeader("grpc-status", "2")
            .putHeader("grpc-message", "context deadline exceeded")
            .end();
      }
    });
  }

  String endpoint() {
    return "127.0.0.1:" + server.actualPort();
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
