package io.vkv.node.http;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vkv.api.etcdserverpb.AlarmType;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.node.VkvVersion;
import io.vkv.node.apply.Proposer;
import io.vkv.store.MvccReader;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The plain HTTP side of the client port, as etcd serves it: {@code GET /health}, {@code /version}, {@code /metrics},
 * and etcd 3.5's {@code /livez} and {@code /readyz}. Requests no other handler took ({@code /v3/*} goes to the JSON
 * gateway first) end here; unknown paths are 404. gRPC requests never reach it (see {@link #isGrpc}).
 */
public final class HttpEndpoints {
  /** etcd 3.4 gives its health probe's read this long. */
  private static final long HEALTH_READ_TIMEOUT_MS = 1000;
  /** etcd 3.5's probes read with the server's request timeout (5 s + 2 election timeouts at the defaults). */
  private static final long PROBE_READ_TIMEOUT_MS = 7000;
  private static final RangeRequest PROBE_READ = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("health"))
      .setKeysOnly(true).setLimit(1).setSerializable(true).build();

  private final Vertx vertx;
  private final Proposer proposer;
  private final MvccReader store;
  private final NodeMetrics metrics;
  private final HealthChecks livez;
  private final HealthChecks readyz;
  private final String version = "{\"etcdserver\":\"" + VkvVersion.ETCD_COMPAT + "\",\"etcdcluster\":\"" + VkvVersion.ETCD_CLUSTER + "\"}";

  public HttpEndpoints(Vertx vertx, Proposer proposer, MvccReader store, NodeMetrics metrics) {
    this(vertx, proposer, store, metrics, () -> false);
  }

  /** @param isLearner whether this member is a learner now (not ready: it serves no writes and no linearizable reads) */
  public HttpEndpoints(Vertx vertx, Proposer proposer, MvccReader store, NodeMetrics metrics,
                       java.util.function.BooleanSupplier isLearner) {
    this.vertx = vertx;
    this.proposer = proposer;
    this.metrics = metrics;
    this.store = store;
    // live: the process serves reads from its own store; ready: also part of a working quorum, not alarmed, a voter
    this.livez = new HealthChecks("livez").register("serializable_read", () -> localRead(store));
    this.readyz = new HealthChecks("readyz")
        .register("data_corruption", () -> store.alarms().stream().anyMatch(a -> a.getAlarm() == AlarmType.CORRUPT)
            ? CompletableFuture.failedFuture(new IllegalStateException("alarm activated: CORRUPT")) // etcd 3.5's words
            : CompletableFuture.completedFuture(null))
        .register("serializable_read", () -> localRead(store))
        .register("linearizable_read", () -> proposer.readBarrier().orTimeout(PROBE_READ_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .thenCompose(v -> localRead(store)))
        .register("non_learner", () -> isLearner.getAsBoolean()
            ? CompletableFuture.failedFuture(new IllegalStateException("this member is a learner"))
            : CompletableFuture.completedFuture(null));
  }

  public static boolean isGrpc(HttpServerRequest request) {
    String type = request.getHeader("content-type");
    return type != null && type.startsWith("application/grpc");
  }

  public void handle(HttpServerRequest request) {
    String path = request.path();
    if (probe(request, livez) || probe(request, readyz)) return;
    switch (path) {
      case "/health" -> onlyGet(request, this::health);
      case "/version" -> onlyGet(request, r -> r.response().putHeader("content-type", "application/json").end(version));
      case "/metrics" -> onlyGet(request, r -> vertx.executeBlocking(metrics::scrape, false).onComplete(ar -> {
        if (ar.succeeded()) {
          r.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
        } else {
          r.response().setStatusCode(500).end(String.valueOf(ar.cause()));
        }
      }));
      default -> request.response().setStatusCode(404).putHeader("content-type", "text/plain; charset=utf-8")
          .end("404 page not found\n");
    }
  }

  private static void onlyGet(HttpServerRequest request, Consumer<HttpServerRequest> handler) {
    if (request.method() == HttpMethod.GET) {
      handler.accept(request);
    } else {
      request.response().setStatusCode(405).putHeader("allow", "GET").putHeader("content-type", "text/plain; charset=utf-8")
          .putHeader("x-content-type-options", "nosniff").end("Method Not Allowed\n");
    }
  }

  /** {@code /livez}, {@code /readyz} and one check at {@code /livez/<name>}; false when the path is not one of them. */
  private boolean probe(HttpServerRequest request, HealthChecks checks) {
    String path = request.path();
    String root = "/" + checks.root();
    String one = path.startsWith(root + "/") ? path.substring(root.length() + 1) : null;
    if (!path.equals(root) && (one == null || !checks.has(one))) return false;
    onlyGet(request, r -> {
      CompletableFuture<HealthChecks.Report> run = one == null
          ? checks.runAllBut(new HashSet<>(r.params().getAll("exclude")))
          : checks.run(List.of(one));
      Future.fromCompletionStage(run, vertx.getOrCreateContext()).onComplete(ar -> answerProbe(r, ar.result()));
    });
    return true;
  }

  /** As etcd 3.5: "ok" (with the check lines when {@code ?verbose}), or 503 with the check lines, always. */
  private static void answerProbe(HttpServerRequest request, HealthChecks.Report report) {
    HttpServerResponse response = request.response()
        .putHeader("content-type", "text/plain; charset=utf-8")
        .putHeader("x-content-type-options", "nosniff");
    if (report.healthy()) {
      response.end((request.params().contains("verbose") ? report.lines() : "") + "ok\n");
    } else {
      response.setStatusCode(503).end(report.lines() + "\n");
    }
  }

  private static CompletableFuture<Void> localRead(MvccReader store) {
    try {
      store.range(PROBE_READ);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Healthy, as in etcd 3.4, when a leader is known and a linearizable read gets through in time: the member is then
   * part of a working quorum, not just alive.
   */
  private void health(HttpServerRequest request) {
    // etcd 3.4: any active alarm makes the member unhealthy, but those named in ?exclude= (e.g. NOSPACE)
    List<String> excluded = request.params().getAll("exclude");
    if (store.alarms().stream().anyMatch(a -> !excluded.contains(a.getAlarm().name()))) {
      answerHealth(request, false);
      return;
    }
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
        // etcd answers a failure with Go's http.Error, which ends the body with a newline
        .end("{\"health\":\"" + healthy + "\"}" + (healthy ? "" : "\n"));
  }
}
