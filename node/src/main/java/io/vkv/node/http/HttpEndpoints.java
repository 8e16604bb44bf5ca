package io.vkv.node.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vkv.node.apply.Proposer;
import java.util.concurrent.TimeUnit;

/**
 * The plain HTTP side of the client port, as etcd serves it: {@code GET /health} and {@code GET /metrics}. Anything
 * else is 404. gRPC requests never reach it (see {@link #isGrpc}).
 */
public final class HttpEndpoints {
  /** etcd 3.4 gives its health probe's read this long. */
  private static final long HEALTH_READ_TIMEOUT_MS = 1000;

  private final Vertx vertx;
  private final Proposer proposer;
  private final NodeMetrics metrics;

  public HttpEndpoints(Vertx vertx, Proposer proposer, NodeMetrics metrics) {
    this.vertx = vertx;
    this.proposer = proposer;
    this.metrics = metrics;
  }

  public static boolean isGrpc(HttpServerRequest request) {
    String type = request.getHeader("content-type");
    return type != null && type.startsWith("application/grpc");
  }

  public void handle(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET) {
      request.response().setStatusCode(405).end();
      return;
    }
    switch (request.path()) {
      case "/health" -> health(request);
      case "/metrics" -> vertx.executeBlocking(metrics::scrape, false).onComplete(ar -> {
        if (ar.succeeded()) {
          request.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
        } else {
          request.response().setStatusCode(500).end(String.valueOf(ar.cause()));
        }
      });
      default -> request.response().setStatusCode(404).end();
    }
  }

  /**
   * Healthy, as in etcd 3.4, when a leader is known and a linearizable read gets through in time: the member is then
   * part of a working quorum, not just alive.
   */
  private void health(HttpServerRequest request) {
    if (proposer.leaderId() == 0) {
      answerHealth(request, false);
      return;
    }
    Future.fromCompletionStage(proposer.readBarrier().orTimeout(HEALTH_READ_TIMEOUT_MS, TimeUnit.MILLISECONDS),
            vertx.getOrCreateContext())
        .onComplete(ar -> answerHealth(request, ar.succeeded()));
  }

  private static void answerHealth(HttpServerRequest request, boolean healthy) {
    request.response()
        .setStatusCode(healthy ? 200 : 503)
        .putHeader("content-type", "text/plain; charset=utf-8") // as etcd
        .end("{\"health\":\"" + healthy + "\"}");
  }
}
