package io.vkv.node.auth;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;

/**
 * The auth token a client sent with the gRPC call being served (metadata {@code token}, as etcd's clients send it).
 * Vert.x serves each HTTP/2 stream on its own duplicate of the event-loop context, and the generated service
 * methods run on it without seeing the request's headers; so the token is parked in that context's local data when
 * the call arrives and read back by the service method.
 */
public final class RequestTokens {
  private static final Object KEY = RequestTokens.class;
  private static final String HEADER = "token";
  private static final String AUTHORIZATION = "authorization";

  /** Called where the HTTP request enters, on its own context; returns the token, or null. */
  public static String attach(HttpServerRequest request) {
    String token = request.getHeader(HEADER);
    if (token == null) token = request.getHeader(AUTHORIZATION);
    if (token != null && Vertx.currentContext() instanceof ContextInternal c) c.putLocal(KEY, token);
    return token;
  }

  /** The token of the call being served on this thread, or null. */
  public static String current() {
    Context c = Vertx.currentContext();
    return c instanceof ContextInternal ci ? ci.getLocal(KEY) : null;
  }

  private RequestTokens() {}
}
