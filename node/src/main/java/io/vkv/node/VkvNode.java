package io.vkv.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vkv.node.apply.Applier;
import io.vkv.node.apply.AppliedIndexWaits;
import io.vkv.node.apply.Waiters;
import io.vkv.node.auth.AuthGate;
import io.vkv.node.auth.SimpleTokens;
import io.vkv.api.internal.ClusterMembers;
import io.vkv.api.internal.MemberAttributes;
import io.vkv.node.cluster.Joining;
import io.vkv.node.tls.TlsContext;
import io.vkv.node.cluster.AttributePublisher;
import io.vkv.node.cluster.Membership;
import io.vkv.node.corruption.CorruptionMonitor;
import io.vkv.node.corruption.HashKVResponder;
import io.vkv.node.corruption.InitialCorruptCheck;
import io.vkv.node.peer.PeerClients;
import io.vkv.node.grpc.ClientServerVerticle;
import io.vkv.node.grpc.ServerContext;
import io.vkv.node.http.HttpEndpoints;
import io.vkv.node.http.NodeMetrics;
import io.vkv.node.lease.LeaseRuntime;
import io.vkv.node.lock.KeyEvents;
import io.vkv.node.membership.ClusterAdmin;
import io.vkv.node.membership.ClusterAdmins;
import io.vkv.node.raft.RaftProposer;
import io.vkv.node.watch.WatchRuntime;
import io.vkv.store.MvccStore;
import io.vkv.store.StoreConfig;
import io.vkv.wal.Wal;
import io.vkv.wal.WalConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * A running vkv member: opens the store, starts the ordered apply path and serves etcd's gRPC API on the client
 * URLs. {@link #close()} stops serving, lets queued writes finish and checkpoints the store.
 */
public final class VkvNode {
  private static final Logger LOG = Logger.getLogger(VkvNode.class.getName());

  private final NodeConfig config;
  private final Vertx vertx;
  private final MvccStore store;
  private final Wal wal;
  private final RaftProposer proposer;
  private final Membership membership;
  private final WatchRuntime watch;
  private final NodeMetrics metrics;
  private final LeaseRuntime leases;
  private final KeyEvents keyEvents;
  private final AuthGate auth;
  private final List<URI> clientUrls = new ArrayList<>();
  private final List<String> deployments = new ArrayList<>();
  private AttributePublisher publisher;
  private CorruptionMonitor corruption;
  private PeerClients corruptionClients;
  private Future<Void> closing;

  /** The client port's TLS, or null for http client URLs. */
  private final TlsContext clientTls;

  private VkvNode(NodeConfig config, Vertx vertx, MvccStore store, Wal wal, RaftProposer proposer, Membership membership,
      WatchRuntime watch, LeaseRuntime leases, KeyEvents keyEvents, AuthGate auth, NodeMetrics metrics, TlsContext clientTls) {
    this.clientTls = clientTls;
    this.config = config;
    this.vertx = vertx;
    this.store = store;
    this.wal = wal;
    this.proposer = proposer;
    this.membership = membership;
    this.watch = watch;
    this.leases = leases;
    this.keyEvents = keyEvents;
    this.auth = auth;
    this.metrics = metrics;
    metrics.bind(proposer, membership, store, watch.hub());
  }

  /**
   * Starts a member with its own Vert.x instance, on Netty's native epoll transport where it loads (Linux x86_64; it
   * costs less CPU per request than the JDK's selector), else on NIO.
   */
  public static Future<VkvNode> start(NodeConfig config) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    LOG.info(() -> "network transport: " + (vertx.isNativeTransportEnabled() ? "native epoll"
        : "NIO (native epoll unavailable: " + vertx.unavailableNativeTransportCause() + ")"));
    // completed outside Vert.x: after a failed start the event loops are gone and cannot deliver the failure
    CompletableFuture<VkvNode> started = new CompletableFuture<>();
    start(config, vertx).onComplete(ar -> {
      if (ar.succeeded()) {
        started.complete(ar.result());
      } else {
        vertx.close().onComplete(closed -> started.completeExceptionally(ar.cause()));
      }
    });
    return Future.fromCompletionStage(started);
  }

  static Future<VkvNode> start(NodeConfig config, Vertx vertx) {
    long started = System.nanoTime();
    return vertx.executeBlocking(() -> open(config, vertx))
        .compose(node -> node.serve().map(node))
        .onSuccess(node -> LOG.info(() -> String.format("vkv %s: member %s (%x) ready to serve client requests on %s in %d ms",
            VkvVersion.VKV, config.name(), node.membership.localId(), node.clientUrls,
            (System.nanoTime() - started) / 1_000_000)));
  }

  private static VkvNode open(NodeConfig config, Vertx vertx) throws Exception {
    // before anything is opened: a TLS setting that cannot work is a start-up error
    TlsContext clientTls = TlsContext.create("client", config.clientTls(), config.listenClientUrls(), config.dataDir());
    io.vkv.node.auth.JwtTokens jwt = config.auth().jwt() == null ? null
        : new io.vkv.node.auth.JwtTokens(config.auth().jwt(), System::currentTimeMillis);
    MvccStore store = MvccStore.open(new StoreConfig(config.storeDir(), config.quotaBackendBytes()));
    Wal wal = null;
    try {
      NodeMetrics metrics = new NodeMetrics();
      wal = Wal.open(WalConfig.defaults(config.walDir()).withFsyncNanos(metrics.walFsyncNanos()));
      ClusterMembers recorded = store.clusterMembers();
      boolean joining = recorded == null && config.initialClusterState().equals("existing") && isFresh(wal);
      Membership membership = joining ? Joining.membership(config, vertx)
          : RaftProposer.recordedMembership(wal, new Membership(config.name(), config.initialCluster(),
              config.initialClusterToken(), config.advertiseClientUrls()));
      if (recorded != null) membership.replace(recorded);
      if (membership.isRemoved(membership.localId())) {
        throw new IllegalStateException(String.format("member %x has been permanently removed from the cluster: "
            + "start it again only with an empty data dir, after adding it again", membership.localId()));
      }
      // before the log is replayed and before peers or clients are served, as etcd checks
      if (config.corruptCheck().initialCheck()) checkInitialHash(config, vertx, store, membership);
      Waiters waiters = new Waiters(metrics);
      Applier applier = new Applier(store, waiters);
      // before the proposer: the hub and the lessor must see every entry applied from here on (WAL replay included)
      WatchRuntime watch = WatchRuntime.attach(store, applier, config.watchProgressNotifyIntervalMs());
      LeaseRuntime leases = LeaseRuntime.attach(config, store, applier, membership.localId());
      KeyEvents keyEvents = new KeyEvents();
      applier.addListener(keyEvents);
      SimpleTokens tokens = new SimpleTokens(System::nanoTime, config.auth().tokenTtlSeconds());
      applier.addEntryListener(tokens);
      applier.addRestoreListener(tokens::clear);
      AppliedIndexWaits appliedWaits = new AppliedIndexWaits(applier::appliedIndex);
      applier.addListener(appliedWaits);
      applier.addRestoreListener(appliedWaits::release);
      RaftProposer proposer = RaftProposer.open(config, membership, joining, wal, applier, store::clusterMembers,
          waiters, store::sync, metrics);
      leases.follow(proposer);
      return new VkvNode(config, vertx, store, wal, proposer, membership, watch, leases, keyEvents,
          new AuthGate(store, tokens, appliedWaits, jwt), metrics, clientTls);
    } catch (Exception e) {
      if (wal != null) wal.close();
      store.close();
      throw e;
    }
  }

  private static void checkInitialHash(NodeConfig config, Vertx vertx, MvccStore store, Membership membership)
      throws Exception {
    PeerClients clients = peerClients(config, vertx);
    try {
      InitialCorruptCheck.run(vertx, clients, store, membership.localId(), membership.members(), requestTimeoutMs(config));
    } finally {
      clients.close();
    }
  }

  /** Connections to other members' peer URLs, with the peer TLS settings. */
  private static PeerClients peerClients(NodeConfig config, Vertx vertx) {
    return new PeerClients(vertx, new io.vertx.core.net.NetClientOptions().setTcpNoDelay(true)
        .setConnectTimeout((int) Math.max(100, config.electionTimeoutMs())),
        TlsContext.create("peer", config.peerTls(), config.listenPeerUrls(), config.dataDir()));
  }

  /** etcd's request timeout: 5 s plus two election timeouts. */
  private static long requestTimeoutMs(NodeConfig config) {
    return 5_000 + 2 * config.electionTimeoutMs();
  }

  /** A data dir that has never been started: no log, no snapshot, no vote. */
  private static boolean isFresh(Wal wal) {
    return wal.lastIndex() == 0 && wal.snapshot().index() == 0 && wal.hardState().term() == 0;
  }

  /** Deploys the client-port verticles, several instances sharing each client URL's port. */
  private Future<Void> serve() {
    watch.start(vertx);
    ClusterAdmin cluster = ClusterAdmins.start(vertx, config, membership, proposer, store::memberAttributes,
        metrics::learnerPromoted);
    ServerContext context = new ServerContext(config, store, proposer, membership, watch, leases, keyEvents, auth,
        cluster);
    // other members' corruption checks ask this member for its hash over the peer port
    proposer.onPeerRequest(new HashKVResponder(vertx, store, membership.clusterId(), membership.localId(),
        proposer::term)::answer);
    // Raft first (clients are served once the store caught up with the log); stopped last, after the clients
    io.vertx.core.Context here = vertx.getOrCreateContext();
    Future<Void> chain = Future.fromCompletionStage(proposer.startLoop().toCompletionStage(), here)
        .compose(v -> Future.fromCompletionStage(proposer.replayed(), here))
        .map(v -> {
          leases.start(vertx, proposer);
          return null;
        });
    for (URI url : config.listenClientUrls()) {
      chain = chain.compose(v -> deployOn(context, url));
    }
    return chain.<Void>map(v -> {
      // listening on port 0 (tests, embedding): advertise the ports actually bound, not ":0"
      if (config.advertiseClientUrls().stream().anyMatch(u -> u.getPort() == 0)) {
        membership.setClientUrls(membership.localId(), clientUrls.stream().map(URI::toString).toList());
      }
      publisher = new AttributePublisher(vertx, proposer, MemberAttributes.newBuilder()
          .setMemberId(membership.localId()).setName(config.name())
          .addAllClientUrls(membership.localClientUrls()).build(), config.electionTimeoutMs());
      publisher.start();
      if (config.corruptCheck().intervalMs() > 0) {
        corruptionClients = peerClients(config, vertx);
        corruption = new CorruptionMonitor(vertx, store, proposer, membership, corruptionClients,
            config.corruptCheck().intervalMs(), requestTimeoutMs(config));
        corruption.start();
      }
      return null;
    }).recover(e -> Future.fromCompletionStage(proposer.stopLoop().toCompletionStage(), here) // its own Vert.x
        .transform(stopped -> Future.failedFuture(e)));
  }

  private Future<Void> deployOn(ServerContext context, URI url) {
    // Vert.x shares one listening socket between servers that ask for the same port; port 0 would give each
    // instance its own random port, a negative port gives them one shared random port
    int port = url.getPort() == 0 ? -1 : url.getPort();
    List<ClientServerVerticle> instances = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < config.serverInstances(); i++) {
      ClientServerVerticle instance = new ClientServerVerticle(context, new HttpEndpoints(vertx, proposer, store, metrics,
          membership::localIsLearner), url.getHost(), port, clientTls);
      instances.add(instance);
      chain = chain.compose(v -> vertx.deployVerticle(instance).map(id -> {
        deployments.add(id);
        return null;
      }));
    }
    return chain.map(v -> {
      clientUrls.add(URI.create(url.getScheme() + "://" + url.getHost() + ":" + instances.get(0).actualPort()));
      return null;
    });
  }

  /** The URLs clients can reach, with real ports. */
  public List<URI> clientUrls() {
    return List.copyOf(clientUrls);
  }

  /** "host:port,host:port" as etcdctl's --endpoints wants it. */
  public String endpoints() {
    return String.join(",", clientUrls.stream().map(u -> u.getHost() + ":" + u.getPort()).toList());
  }

  public NodeConfig config() {
    return config;
  }

  public long memberId() {
    return membership.localId();
  }

  /**
   * Told once this member was removed from the cluster (it applied its own removal, or a peer refused it as
   * removed), on a thread of its own: the member serves nothing useful any more and should be stopped.
   */
  public void onRemoved(Runnable listener) {
    proposer.onRemoved(() -> new Thread(listener, "vkv-removed").start());
  }

  /** Stops the node; idempotent: later calls return the first call's future. */
  public synchronized Future<Void> close() {
    if (closing == null) closing = stop();
    return closing;
  }

  private Future<Void> stop() {
    leases.stop();
    if (publisher != null) publisher.stop();
    if (corruption != null) corruption.stop();
    if (corruptionClients != null) corruptionClients.close();
    Future<Void> undeployed = watch.shutdownStreams().recover(e -> Future.succeededFuture());
    for (String id : deployments) {
      undeployed = undeployed.compose(v -> vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    return undeployed
        .compose(v -> Future.fromCompletionStage(proposer.stopLoop().recover(e -> Future.succeededFuture())
            .toCompletionStage(), vertx.getOrCreateContext()))
        .compose(v -> vertx.executeBlocking(() -> {
          watch.close();
          proposer.close();
          store.sync();
          store.close();
          wal.close();
          return null;
        }))
        .compose(v -> vertx.close())
        .onSuccess(v -> LOG.info("vkv: stopped"));
  }
}
