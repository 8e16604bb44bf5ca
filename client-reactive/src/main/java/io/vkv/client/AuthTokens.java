package io.vkv.client;

import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.etcdserverpb.AuthGrpcClient;
import io.vkv.api.etcdserverpb.AuthenticateRequest;
import io.vkv.api.etcdserverpb.AuthenticateResponse;

/**
 * The client's one auth token (etcd's simple tokens are valid on every member): fetched with Auth.Authenticate
 * before the first call that needs it, sent by every call and stream as the {@code token} header, and fetched again
 * when the server rejects it. Concurrent callers share one Authenticate. Thread-safe.
 */
final class AuthTokens {
  /** The gRPC metadata key etcd reads the token from. */
  static final String HEADER = "token";
  static final String INVALID_TOKEN = "etcdserver: invalid auth token";
  static final String OLD_REVISION = "etcdserver: revision of auth store is old";
  /** A call without a token while auth is enabled, e.g. auth was enabled after this client found it disabled. */
  static final String USER_EMPTY = "etcdserver: user name is empty";
  static final String NOT_ENABLED = "etcdserver: authentication is not enabled";
  /** No token: the server does not have auth enabled. */
  private static final String NO_TOKEN = "";
  private static final AuthTokens NONE = new AuthTokens(null, null, null);

  private final Transport transport;
  private final CallPolicy policy;
  /** null: the client has no credentials and never sends a token. */
  private final AuthenticateRequest credentials;
  /** The token every call sends; null until fetched, {@link #NO_TOKEN} while the server has auth disabled. */
  private String token;
  /** The Authenticate in flight, shared by everyone who needs a token meanwhile. */
  private Future<String> pending;
  private volatile int authentications;

  private AuthTokens(Transport transport, CallPolicy policy, AuthenticateRequest credentials) {
    this.transport = transport;
    this.policy = policy;
    this.credentials = credentials;
  }

  /** Tokens for {@code user}; none when {@code user} is null. */
  static AuthTokens of(Transport transport, CallPolicy policy, String user, String password) {
    if (user == null) return NONE;
    return new AuthTokens(transport, policy, AuthenticateRequest.newBuilder().setName(user).setPassword(password).build());
  }

  static AuthTokens none() {
    return NONE;
  }

  boolean enabled() {
    return credentials != null;
  }

  /** The token to send now without waiting, or null when it must be fetched first ({@link #current()}). */
  synchronized String cached() {
    return token;
  }

  /** The token to send ("" for none), fetching it when there is none yet. */
  synchronized Future<String> current() {
    if (credentials == null) return Future.succeededFuture(NO_TOKEN);
    if (token != null) return Future.succeededFuture(token);
    return authenticate();
  }

  /**
   * A token to replace {@code rejected}, which the server refused: the current one when another caller already
   * replaced it, else a new one from Authenticate.
   */
  synchronized Future<String> refresh(String rejected) {
    if (credentials == null) return Future.succeededFuture(NO_TOKEN);
    if (token != null && !token.equals(rejected)) return Future.succeededFuture(token);
    token = null;
    return authenticate();
  }

  private Future<String> authenticate() {
    if (pending != null) return pending;
    authentications++;
    Future<String> f = new UnaryCall<>(transport, policy, AuthGrpcClient.Authenticate, credentials, true, null, NONE)
        .start()
        .map(AuthenticateResponse::getToken)
        // as etcd's Go client: a server without auth takes calls without a token
        .recover(e -> notEnabled(e) ? Future.succeededFuture(NO_TOKEN) : Future.failedFuture(e));
    pending = f;
    f.onComplete(done -> {
      synchronized (this) {
        pending = null;
        if (done.succeeded()) token = done.result();
      }
    });
    return f;
  }

  /** Authenticate calls started so far, for tests. */
  int authentications() {
    return authentications;
  }

  /**
   * Whether the server refused a call for its token, so that a new token may make it pass. Matched by message (etcd's
   * lock and election servers pass these on with status UNKNOWN), and UNAUTHENTICATED, which etcd uses only for a bad
   * token, also without its message (seen with Vert.x's gRPC stack when a stream that already answered ends).
   */
  boolean rejected(VkvException e) {
    if (credentials == null) return false;
    String m = e.getMessage();
    return e.status() == GrpcStatus.UNAUTHENTICATED || INVALID_TOKEN.equals(m) || OLD_REVISION.equals(m) || USER_EMPTY.equals(m);
  }

  /**
   * The token error a watch was cancelled for, or null: etcd cancels a watch whose create request came with a bad
   * token, the reason holding the error (3.4: {@code rpc error: code = Unauthenticated desc = etcdserver: invalid
   * auth token}).
   */
  String rejectionIn(String cancelReason) {
    if (credentials == null || cancelReason.isEmpty()) return null;
    for (String e : new String[] {INVALID_TOKEN, OLD_REVISION, USER_EMPTY}) {
      if (cancelReason.equals(e) || cancelReason.endsWith("desc = " + e)) return e;
    }
    return null;
  }

  private static boolean notEnabled(Throwable e) {
    return e instanceof VkvException v && v.status() == GrpcStatus.FAILED_PRECONDITION && NOT_ENABLED.equals(v.getMessage());
  }
}
