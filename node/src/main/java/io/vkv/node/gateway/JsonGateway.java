package io.vkv.node.gateway;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Map;

/**
 * etcd's JSON gateway on the client port: {@code POST /v3/<service>/<method>} (and {@code /v3beta/...}, which etcd
 * 3.4 serves too) with the request as JSON, answered with the response as JSON. A thin transcoder: every route calls
 * the handler object the gRPC server uses for that RPC (see {@link GatewayRoutes}); the caller's token comes in the
 * {@code Authorization} header and is attached where the gRPC token is ({@code RequestTokens}).
 */
public final class JsonGateway {
  private static final String[] PREFIXES = {"/v3/", "/v3beta/"};

  private final Map<String, Route> routes;
  private final long maxBodyBytes;
  private final java.util.function.BooleanSupplier isLearner;
  /** What a learner answers: serializable ranges and Status, as etcd's learners. */
  private static final java.util.Set<String> LEARNER_SERVES = java.util.Set.of("/kv/range", "/maintenance/status");

  /** @param maxBodyBytes the largest body read (etcd: its gateway forwards to a gRPC server bounded the same way) */
  public JsonGateway(GatewayHandlers handlers, long maxBodyBytes, java.util.function.BooleanSupplier isLearner) {
    this.routes = GatewayRoutes.of(handlers);
    this.maxBodyBytes = maxBodyBytes;
    this.isLearner = isLearner;
  }

  /** True for the paths the gateway owns. */
  public static boolean handles(HttpServerRequest request) {
    String path = request.path();
    for (String p : PREFIXES) if (path.startsWith(p)) return true;
    return false;
  }

  public void handle(HttpServerRequest request) {
    String path = request.path();
    String method = null;
    for (String p : PREFIXES) if (path.startsWith(p)) method = path.substring(p.length() - 1);
    Route route = method == null ? null : routes.get(method);
    HttpServerResponse response = request.response();
    if (route == null) {
      plain(response, 404, "Not Found\n");
      return;
    }
    if (request.method() != HttpMethod.POST) {
      plain(response, 405, "Method Not Allowed\n");
      return;
    }
    if (isLearner.getAsBoolean() && !LEARNER_SERVES.contains(method)) {
      // as the gRPC calls on a learner (KvEndpoint refuses a linearizable range itself)
      GatewayErrors.answer(response, io.vkv.api.EtcdError.NOT_SUPPORTED_FOR_LEARNER.status(),
          io.vkv.api.EtcdError.NOT_SUPPORTED_FOR_LEARNER.message());
      return;
    }
    String length = request.getHeader("content-length");
    if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
        && Long.parseLong(length) > maxBodyBytes) {
      GatewayErrors.answer(response, GrpcStatus.INVALID_ARGUMENT, "etcdserver: request is too large");
      return;
    }
    request.body().onComplete(ar -> {
      if (ar.failed()) {
        GatewayErrors.answer(response, ar.cause());
      } else {
        route.serve(request, ar.result().toString());
      }
    });
  }

  private static void plain(HttpServerResponse response, int status, String body) {
    response.setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8")
        .putHeader("x-content-type-options", "nosniff").end(body);
  }
}
