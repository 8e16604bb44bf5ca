package io.vkv.client;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vkv.api.etcdserverpb.AuthGrpcService;
import io.vkv.api.etcdserverpb.AuthenticateRequest;
import io.vkv.api.etcdserverpb.AuthenticateResponse;
import io.vkv.api.etcdserverpb.LeaseGrpcService;
import io.vkv.api.etcdserverpb.LeaseKeepAliveRequest;
import io.vkv.api.etcdserverpb.LeaseKeepAliveResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in server with Authenticate and a LeaseKeepAlive that checks the stream's token on every keep-alive, as
 * a server could (etcd 3.4 does not check keep-alives): {@link #dropTokens()} forgets every token issued, and each
 * open keep-alive stream then ends with etcd's UNAUTHENTICATED "invalid auth token".
 */
final class TokenCheckingServer implements AutoCloseable {
  final AtomicInteger authentications = new AtomicInteger();
  /** The token header of every keep-alive stream opened, in order. */
  final Queue<String> streamTokens = new ConcurrentLinkedQueue<>();
  private final String password;
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<GrpcServerRequest<LeaseKeepAliveRequest, LeaseKeepAliveResponse>> open = new ArrayList<>();
  private volatile String valid = "";

  TokenCheckingServer(String password) {
    this.password = password;
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(AuthGrpcService.Authenticate, req -> req.handler(r -> authenticate(req, r)));
    grpc.callHandler(LeaseGrpcService.LeaseKeepAlive, this::keepAlive);
    server = Await.result(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(grpc).listen());
  }

  private void authenticate(GrpcServerRequest<AuthenticateRequest, AuthenticateResponse> req, AuthenticateRequest r) {
    authentications.incrementAndGet();
    if (!password.equals(r.getPassword())) {
      req.response().status(GrpcStatus.INVALID_ARGUMENT)
          .statusMessage("etcdserver: authentication failed, invalid user ID or password").end();
      return;
    }
    valid = r.getName() + "." + authentications.get();
    req.response().end(AuthenticateResponse.newBuilder().setToken(valid).build());
  }

  private void keepAlive(GrpcServerRequest<LeaseKeepAliveRequest, LeaseKeepAliveResponse> req) {
    String token = req.headers().get("token");
    streamTokens.add(String.valueOf(token));
    synchronized (open) {
      open.add(req);
    }
    req.handler(r -> {
      if (!valid.equals(token)) {
        rejectToken(req);
      } else {
        req.response().write(LeaseKeepAliveResponse.newBuilder().setID(r.getID()).setTTL(3).build());
      }
    });
  }

  private void rejectToken(GrpcServerRequest<LeaseKeepAliveRequest, LeaseKeepAliveResponse> req) {
    synchronized (open) {
      open.remove(req);
    }
    req.response().status(GrpcStatus.UNAUTHENTICATED).statusMessage("etcdserver: invalid auth token").end();
  }

  /** Every token issued so far is now unknown; open keep-alive streams end as their token is refused. */
  void dropTokens() {
    vertx.runOnContext(v -> {
      valid = "";
      List<GrpcServerRequest<LeaseKeepAliveRequest, LeaseKeepAliveResponse>> streams;
      synchronized (open) {
        streams = new ArrayList<>(open);
      }
      streams.forEach(this::rejectToken);
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
