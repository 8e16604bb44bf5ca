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
  private static final Object CERT_USER = Credentials.class;
  private static final String HEADER = "token";
  private static final String AUTHORIZATION = "authorization";

  /** Who a call says it is: its token, else the CN of its client certificate (--client-cert-auth), else nobody. */
  public record Credentials(String token, String certificateUser) {
    public static final Credentials NONE = new Credentials(null, null);
  }

  /**
   * Called where the HTTP request enters, on its own context; returns the token, or null.
   *
   * @param certificateUser the CN of the verified client certificate when it may stand for the user, else null
   */
  public static String attach(HttpServerRequest request, String certificateUser) {
    String token = request.getHeader(HEADER);
    if (token == null) token = request.getHeader(AUTHORIZATION);
    if (Vertx.currentContext() instanceof ContextInternal c) {
      if (token != null) c.putLocal(KEY, token);
      if (certificateUser != null) c.putLocal(CERT_USER, certificateUser);
    }
    return token;
  }

  /** The credentials of the call being served on this thread. */
  public static Credentials credentials() {
    Context c = Vertx.currentContext();
    if (!(c instanceof ContextInternal ci)) return Credentials.NONE;
    String token = ci.getLocal(KEY);
    String user = ci.getLocal(CERT_USER);
    return token == null && user == null ? Credentials.NONE : new Credentials(token, user);
  }

  /** The token of the call being served on this thread, or null. */
  public static String current() {
    Context c = Vertx.currentContext();
    return c instanceof ContextInternal ci ? ci.getLocal(KEY) : null;
  }

  private RequestTokens() {}
}
