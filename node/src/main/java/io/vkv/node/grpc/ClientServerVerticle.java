package io.vkv.node.grpc;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vkv.api.etcdserverpb.AuthGrpcService;
import io.vkv.api.etcdserverpb.ClusterGrpcService;
import io.vkv.api.etcdserverpb.KVGrpcService;
import io.vkv.api.etcdserverpb.LeaseGrpcService;
import io.vkv.api.etcdserverpb.MaintenanceGrpcService;
import io.vkv.api.etcdserverpb.WatchGrpcService;
import io.vkv.api.v3electionpb.ElectionGrpcService;
import io.vkv.api.v3lockpb.LockGrpcService;
import io.vkv.node.NodeConfig;
import io.vkv.node.auth.RequestTokens;
import io.vkv.node.gateway.GatewayHandlers;
import io.vkv.node.gateway.JsonGateway;
import io.vkv.node.http.HttpEndpoints;
import io.vkv.node.lock.Coordination;
import io.vkv.node.lock.ElectionEndpoint;
import io.vkv.node.lock.LockEndpoint;
import io.vkv.node.watch.WatchEndpoint;
import io.vkv.node.tls.ClientCertificates;
import io.vkv.node.tls.TlsContext;
import io.vkv.node.wire.GrpcMessageHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's share of the client port: a gRPC server with etcd's services, the JSON gateway over the same
 * handlers, and etcd's plain HTTP endpoints. Several instances listen on
 * the same port and Vert.x spreads connections over them.
 */
public final class ClientServerVerticle extends VerticleBase {
  /** etcd's value: math.MaxUint32, the most HTTP/2 allows. */
  static final long MAX_CONCURRENT_STREAMS = 0xFFFFFFFFL;
  /** How long a call with a token from the future waits for this member to catch up before it is refused. */
  static final long TOKEN_WAIT_MS = 5_000;
  private final ServerContext server;
  private final HttpEndpoints plainHttp;
  private final String host;
  private final int port;
  private final List<HttpServer> listening = new ArrayList<>();
  /** null: plain text (an http client URL) */
  private final TlsContext tls;

  public ClientServerVerticle(ServerContext server, HttpEndpoints plainHttp, String host, int port, TlsContext tls) {
    this.server = server;
    this.tls = tls;
    this.plainHttp = plainHttp;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions()
        .setMaxMessageSize(server.config().maxRequestBytes() + (long) NodeConfig.GRPC_OVERHEAD_BYTES));
    KvEndpoint kv = new KvEndpoint(server, context);
    AuthEndpoint auth = new AuthEndpoint(server, context);
    MaintenanceEndpoint maintenance = new MaintenanceEndpoint(server);
    ClusterEndpoint cluster = new ClusterEndpoint(server);
    LeaseEndpoint lease = new LeaseEndpoint(server, context);
    // every service through EtcdCalls: bad messages and unknown methods are answered as etcd answers them
    EtcdCalls calls = new EtcdCalls(grpc);
    calls.add(KVGrpcService.of(kv));
    calls.add(AuthGrpcService.of(auth));
    calls.add(MaintenanceGrpcService.of(maintenance));
    calls.add(ClusterGrpcService.of(cluster));
    calls.add(LeaseGrpcService.of(lease));
    Coordination co = new Coordination(server.proposer(), server.store(), server.leases(), server.auth(), server.keyEvents(),
        server::header);
    LockEndpoint locks = new LockEndpoint(co, context);
    // Lock is served with the call in hand, to notice a caller that gives up while queued
    calls.add(LockGrpcService.builder(locks).bind(LockGrpcService.Unlock).build());
    calls.add(LockGrpcService.SERVICE_DESCRIPTOR, LockGrpcService.Lock, locks::serveLock);
    ElectionEndpoint elections = new ElectionEndpoint(co, context);
    // Campaign too, to notice a candidate that gives up while waiting
    calls.add(ElectionGrpcService.builder(elections).bind(ElectionGrpcService.Proclaim, ElectionGrpcService.Leader,
        ElectionGrpcService.Observe, ElectionGrpcService.Resign).build());
    calls.add(ElectionGrpcService.SERVICE_DESCRIPTOR, ElectionGrpcService.Campaign, elections::serveCampaign);
    WatchEndpoint watch = new WatchEndpoint(server.watch(), server::header, server.config().maxRequestBytes(), server.auth());
    calls.add(WatchGrpcService.of(watch));
    // the JSON gateway calls the same handler objects
    JsonGateway gateway = new JsonGateway(new GatewayHandlers(kv, watch, lease, auth, cluster, maintenance, locks, elections),
        server.config().maxRequestBytes() + (long) NodeConfig.GRPC_OVERHEAD_BYTES, server.membership()::localIsLearner);
    HttpServerOptions options = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setTcpNoDelay(true)
        // etcd lets one connection carry any number of streams (watches, keep-alives); HTTP/2 servers default to 100
        .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS));
    if (tls == null) {
      options.setHttp2ClearTextEnabled(true);
    } else {
      // gRPC needs HTTP/2, which TLS clients ask for through ALPN (h2); /health and the gateway also take HTTP/1.1
      tls.server(options, true);
    }
    HttpServer http = vertx.createHttpServer(options);
    listening.add(http);
    // one port for gRPC and for etcd's plain HTTP endpoints (/health, /metrics), told apart by content type
    http.connectionHandler(conn -> {
      FlushCoalescing.install(conn);
      // etcdctl's --cluster commands send a client URL as :authority, which Vert.x would reset
      UrlAuthority.install(conn);
    });
    return http.requestHandler(req -> {
      if (HttpEndpoints.isGrpc(req)) {
        if (server.membership().localIsLearner() && LearnerGate.refuses(req)) {
          LearnerGate.refuse(req);
          return;
        }
        GrpcMessageHeader.install(req.response());
        withToken(req, () -> grpc.handle(req));
      } else if (JsonGateway.handles(req)) {
        withToken(req, () -> gateway.handle(req));
      } else {
        plainHttp.handle(req);
      }
    }).listen();
  }

  /**
   * Serves a call once its token may be checked here. The token is kept even while auth is off: a watch stream opened
   * then may create watchers after auth is turned on.
   */
  private void withToken(HttpServerRequest req, Runnable serve) {
    String token = RequestTokens.attach(req, certificateUser(req));
    CompletableFuture<Void> tokenReady = server.auth().tokenReady(token);
    if (tokenReady == null) {
      serve.run();
    } else {
      // a token issued through a member ahead of this one: serve the call once its Authenticate entry applied
      req.pause();
      Context callContext = vertx.getOrCreateContext();
      tokenReady.orTimeout(TOKEN_WAIT_MS, TimeUnit.MILLISECONDS).whenComplete((v, e) -> callContext.runOnContext(x -> {
        serve.run();
        req.resume();
      }));
    }
  }

  /**
   * etcd's rule with --client-cert-auth: a call that carries no token runs as the user named by the CN of the client
   * certificate (the handshake already checked it against the trusted CA). Null when that does not apply.
   */
  private String certificateUser(HttpServerRequest req) {
    if (tls == null || !tls.settings().clientCertAuth() || !server.auth().enabled()) return null;
    return ClientCertificates.commonName(req.connection());
  }

  /** The port actually bound (differs from the configured one when that was 0). */
  public int actualPort() {
    return listening.isEmpty() ? -1 : listening.get(0).actualPort();
  }

  @Override
  public Future<?> stop() {
    return Future.all(listening.stream().map(HttpServer::close).toList());
  }
}
