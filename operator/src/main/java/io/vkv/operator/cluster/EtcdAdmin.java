package io.vkv.operator.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vkv.api.etcdserverpb.AuthEnableRequest;
import io.vkv.api.etcdserverpb.AuthGrpcClient;
import io.vkv.api.etcdserverpb.AuthRoleAddRequest;
import io.vkv.api.etcdserverpb.AuthUserAddRequest;
import io.vkv.api.etcdserverpb.AuthUserGrantRoleRequest;
import io.vkv.api.etcdserverpb.AuthenticateRequest;
import io.vkv.api.etcdserverpb.ClusterGrpcClient;
import io.vkv.api.etcdserverpb.MaintenanceGrpcClient;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.etcdserverpb.MemberAddRequest;
import io.vkv.api.etcdserverpb.MemberListRequest;
import io.vkv.api.etcdserverpb.MemberPromoteRequest;
import io.vkv.api.etcdserverpb.MemberRemoveRequest;
import io.vkv.api.etcdserverpb.MoveLeaderRequest;
import io.vkv.api.etcdserverpb.SnapshotRequest;
import io.vkv.api.etcdserverpb.StatusRequest;
import io.vkv.api.etcdserverpb.StatusResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The cluster side of the operator: etcd v3 Cluster and Maintenance calls on one member's client URL, each blocking
 * the controller's thread up to a deadline (the controller does one thing at a time anyway). Platform-neutral.
 *
 * <p>With {@link ClusterAccess#tls()} it dials TLS (HTTP/2 over ALPN), checking the members' certificates against the
 * CA and the URL's host. With {@link ClusterAccess#auth()} the calls etcd reserves to root (membership changes,
 * MoveLeader, Snapshot, auth management) carry a simple token, fetched with Authenticate and fetched again when a
 * member calls it invalid (expired after {@code --auth-token-ttl}, a restarted member). Status and MemberList need
 * no user in etcd 3.4 and are sent without one, so observing a member never depends on Authenticate.
 */
public final class EtcdAdmin implements ClusterApi {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(10);
  /** The gRPC metadata key etcd reads a token from. */
  private static final String TOKEN_HEADER = "token";
  /** The cached answer "auth is not enabled": calls go without a token. */
  private static final String NO_TOKEN = "";

  private final Vertx vertx = Vertx.vertx();
  private final ClusterAccess access;
  private final GrpcClient grpc;
  /** null until fetched; {@link #NO_TOKEN} while the cluster has auth off. Only the controller's thread uses it. */
  private String token;
  private int authentications;

  public EtcdAdmin() {
    this(ClusterAccess.plainText());
  }

  public EtcdAdmin(ClusterAccess access) {
    this.access = access;
    HttpClientOptions http = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
    if (access.tls()) {
      http.setSsl(true).setUseAlpn(true).setVerifyHost(true)
          .setTrustOptions(new PemTrustOptions().addCertPath(access.trustedCa().toString()));
      if (access.certFile() != null) {
        http.setKeyCertOptions(new PemKeyCertOptions().setCertPath(access.certFile().toString()).setKeyPath(access.keyFile().toString()));
      }
    }
    this.grpc = GrpcClient.builder(vertx).with(new GrpcClientOptions().setMaxMessageSize(16 << 20)).with(http).build();
  }

  public ClusterAccess access() {
    return access;
  }

  /** Authenticate calls made so far, for tests. */
  int authentications() {
    return authentications;
  }

  @Override
  public StatusResponse status(String clientUrl) throws IOException {
    return await(unary(clientUrl, MaintenanceGrpcClient.Status, StatusRequest.getDefaultInstance(), null), CALL_TIMEOUT);
  }

  @Override
  public List<Member> memberList(String clientUrl) throws IOException {
    return await(unary(clientUrl, ClusterGrpcClient.MemberList, MemberListRequest.getDefaultInstance(), null), CALL_TIMEOUT).getMembersList();
  }

  @Override
  public Member addLearner(String clientUrl, String peerUrl) throws IOException {
    MemberAddRequest req = MemberAddRequest.newBuilder().addPeerURLs(peerUrl).setIsLearner(true).build();
    return asRoot(clientUrl, ClusterGrpcClient.MemberAdd, req).getMember();
  }

  @Override
  public void promote(String clientUrl, long id) throws IOException {
    asRoot(clientUrl, ClusterGrpcClient.MemberPromote, MemberPromoteRequest.newBuilder().setID(id).build());
  }

  @Override
  public void remove(String clientUrl, long id) throws IOException {
    asRoot(clientUrl, ClusterGrpcClient.MemberRemove, MemberRemoveRequest.newBuilder().setID(id).build());
  }

  @Override
  public void moveLeader(String leaderClientUrl, long to) throws IOException {
    asRoot(leaderClientUrl, MaintenanceGrpcClient.MoveLeader, MoveLeaderRequest.newBuilder().setTargetID(to).build());
  }

  /**
   * Whether the cluster has auth on, seen by authenticating as the configured user: etcd answers "authentication is
   * not enabled" while it is off. A token already held answers without a call (auth disable would void it, and the
   * next call asking root's rights finds out). A wrong password is an error, not "off".
   */
  @Override
  public boolean authEnabled(String clientUrl) throws IOException {
    if (!access.auth()) throw new IllegalStateException("no user configured to check auth with");
    if (token != null && !token.equals(NO_TOKEN)) return true;
    token = null;
    return !fetchToken(clientUrl).equals(NO_TOKEN);
  }

  /**
   * etcdctl's {@code user add root; auth enable}, each step tolerant of having been done before (an operator
   * stopped half-way runs it again): user root with the configured password, role root granted to it, auth on.
   */
  @Override
  public void enableAuth(String clientUrl) throws IOException {
    if (!access.auth()) throw new IllegalStateException("no user configured to enable auth with");
    tolerating(io.vkv.api.EtcdError.USER_ALREADY_EXIST, () -> await(unary(clientUrl, AuthGrpcClient.UserAdd,
        AuthUserAddRequest.newBuilder().setName(access.user()).setPassword(access.password()).build(), null), CALL_TIMEOUT));
    tolerating(io.vkv.api.EtcdError.ROLE_ALREADY_EXIST, () -> await(unary(clientUrl, AuthGrpcClient.RoleAdd,
        AuthRoleAddRequest.newBuilder().setName("root").build(), null), CALL_TIMEOUT));
    await(unary(clientUrl, AuthGrpcClient.UserGrantRole,
        AuthUserGrantRoleRequest.newBuilder().setUser(access.user()).setRole("root").build(), null), CALL_TIMEOUT);
    await(unary(clientUrl, AuthGrpcClient.AuthEnable, AuthEnableRequest.getDefaultInstance(), null), CALL_TIMEOUT);
    token = null;
  }

  private interface Call {
    void run() throws IOException;
  }

  private static void tolerating(io.vkv.api.EtcdError expected, Call call) throws IOException {
    try {
      call.run();
    } catch (EtcdError e) {
      if (!expected.message().equals(e.message())) throw e;
    }
  }

  /** A call needing root's rights once auth is on: with the token, and once more with a new one if it was refused. */
  private <Req, Resp> Resp asRoot(String clientUrl, ServiceMethod<Resp, Req> method, Req request) throws IOException {
    if (!access.auth()) return await(unary(clientUrl, method, request, null), CALL_TIMEOUT);
    String t = currentToken(clientUrl);
    try {
      return await(unary(clientUrl, method, request, t), CALL_TIMEOUT);
    } catch (EtcdError e) {
      if (!tokenRefused(e)) throw e;
      token = null;
      return await(unary(clientUrl, method, request, currentToken(clientUrl)), CALL_TIMEOUT);
    }
  }

  private String currentToken(String clientUrl) throws IOException {
    return token != null ? token : fetchToken(clientUrl);
  }

  private String fetchToken(String clientUrl) throws IOException {
    AuthenticateRequest req = AuthenticateRequest.newBuilder().setName(access.user()).setPassword(access.password()).build();
    authentications++;
    try {
      token = await(unary(clientUrl, AuthGrpcClient.Authenticate, req, null), CALL_TIMEOUT).getToken();
    } catch (EtcdError e) {
      if (!io.vkv.api.EtcdError.AUTH_NOT_ENABLED.message().equals(e.message())) throw e;
      token = NO_TOKEN;
    }
    return token;
  }

  /**
   * The member refused the token (expired, issued before a restart), or had none while auth is on (it was enabled
   * since the token was last fetched).
   */
  private static boolean tokenRefused(EtcdError e) {
    return io.vkv.api.EtcdError.INVALID_AUTH_TOKEN.message().equals(e.message()) || io.vkv.api.EtcdError.USER_EMPTY.message().equals(e.message());
  }

  /**
   * Streams {@code Maintenance.Snapshot} into {@code target}: the database, then the SHA-256 trailer the server
   * sends last (etcd's file layout). The chunks are written on the operator's own event loop: nothing else runs
   * there while the controller waits for this call.
   */
  @Override
  public void snapshot(String clientUrl, Path target) throws IOException {
    String t = access.auth() ? currentToken(clientUrl) : null;
    try {
      snapshot(clientUrl, target, t);
    } catch (EtcdError e) {
      if (!access.auth() || !tokenRefused(e)) throw e;
      token = null;
      snapshot(clientUrl, target, currentToken(clientUrl));
    }
  }

  private void snapshot(String clientUrl, Path target, String withToken) throws IOException {
    FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
    try (out) {
      Promise<Void> done = Promise.promise();
      grpc.request(address(clientUrl), MaintenanceGrpcClient.Snapshot).compose(req -> {
        if (withToken != null && !withToken.isEmpty()) req.headers().set(TOKEN_HEADER, withToken);
        req.end(SnapshotRequest.getDefaultInstance());
        return req.response();
      }).onComplete(ar -> {
        if (ar.failed()) {
          done.tryFail(ar.cause());
          return;
        }
        var resp = ar.result();
        // a refusal (e.g. an expired token) carries etcd's status and text, whichever way the stream reports it
        resp.exceptionHandler(e -> done.tryFail(resp.status() != null && resp.status() != GrpcStatus.OK
            ? new EtcdError(resp.status(), resp.statusMessage()) : e)).endHandler(v -> {
          if (resp.status() != null && resp.status() != GrpcStatus.OK) done.tryFail(new EtcdError(resp.status(), resp.statusMessage()));
          else done.tryComplete();
        }).handler(chunk -> {
          try {
            out.write(chunk.getBlob().asReadOnlyByteBuffer());
          } catch (IOException e) {
            done.tryFail(e);
          }
        });
      });
      await(done.future(), SNAPSHOT_TIMEOUT);
      out.force(true);
    }
  }

  /**
   * One unary call, with {@code withToken} unless null or empty; a failure carries etcd's gRPC status and message
   * (e.g. "not in sync with leader").
   */
  private <Req, Resp> Future<Resp> unary(String clientUrl, ServiceMethod<Resp, Req> method, Req request, String withToken) {
    return grpc.request(address(clientUrl), method).compose(req -> {
      if (withToken != null && !withToken.isEmpty()) req.headers().set(TOKEN_HEADER, withToken);
      req.end(request);
      return req.response().compose(resp -> resp.last().recover(e -> Future.failedFuture(
          resp.status() != null && resp.status() != GrpcStatus.OK ? new EtcdError(resp.status(), resp.statusMessage()) : e)));
    });
  }

  /** A call refused by the cluster, with etcd's status and text. */
  public static final class EtcdError extends IOException {
    private final GrpcStatus status;
    private final String message;

    EtcdError(GrpcStatus status, String message) {
      super(status + ": " + message);
      this.status = status;
      this.message = message;
    }

    public GrpcStatus status() {
      return status;
    }

    /** etcd's text alone, e.g. {@code etcdserver: invalid auth token}. */
    public String message() {
      return message;
    }
  }

  private static SocketAddress address(String url) {
    URI u = URI.create(url);
    return SocketAddress.inetSocketAddress(u.getPort(), u.getHost());
  }

  private static <T> T await(Future<T> f, Duration timeout) throws IOException {
    try {
      return f.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("no answer within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    grpc.close();
    vertx.close();
  }
}
