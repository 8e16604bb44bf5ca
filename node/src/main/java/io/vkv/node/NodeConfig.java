package io.vkv.node;

import io.vkv.node.auth.AuthSettings;
import io.vkv.node.corruption.CorruptCheckSettings;
import io.vkv.node.lease.LeaseSettings;
import io.vkv.node.raft.LogRetention;
import io.vkv.node.tls.TlsSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a node is started with, named after etcd's flags and defaulting to etcd's values.
 * Immutable; built by {@link NodeCommand} from the command line or by tests through {@link #builder()}.
 */
public record NodeConfig(
    String name,
    Path dataDir,
    List<URI> listenClientUrls,
    List<URI> advertiseClientUrls,
    List<URI> listenPeerUrls,
    List<URI> initialAdvertisePeerUrls,
    Map<String, List<URI>> initialCluster,
    String initialClusterState,
    String initialClusterToken,
    long heartbeatIntervalMs,
    long electionTimeoutMs,
    int maxRequestBytes,
    int maxTxnOps,
    long quotaBackendBytes,
    String logLevel,
    int serverInstances,
    long watchProgressNotifyIntervalMs,
    LeaseSettings lease,
    AuthSettings auth,
    LogRetention logRetention,
    io.vkv.node.membership.MembershipSettings membership,
    TlsSettings clientTls,
    TlsSettings peerTls,
    CorruptCheckSettings corruptCheck) {

  public static final int DEFAULT_MAX_REQUEST_BYTES = 1536 * 1024;
  public static final int DEFAULT_MAX_TXN_OPS = 128;
  public static final long DEFAULT_QUOTA_BACKEND_BYTES = 2L * 1024 * 1024 * 1024;
  public static final long DEFAULT_WATCH_PROGRESS_NOTIFY_INTERVAL_MS = 10 * 60 * 1000;
  /** etcd lets gRPC accept this much more than --max-request-bytes so that it can answer with its own error. */
  public static final int GRPC_OVERHEAD_BYTES = 512 * 1024;

  public NodeConfig {
    if (name == null || name.isEmpty()) throw new IllegalArgumentException("--name must not be empty");
    if (listenClientUrls.isEmpty()) throw new IllegalArgumentException("--listen-client-urls must not be empty");
    if (heartbeatIntervalMs <= 0) throw new IllegalArgumentException("--heartbeat-interval must be > 0");
    if (electionTimeoutMs < 5 * heartbeatIntervalMs) {
      // the same rule etcd applies: a follower must see several heartbeats per election timeout
      throw new IllegalArgumentException("--election-timeout[" + electionTimeoutMs
          + "ms] should be at least as 5 times as --heartbeat-interval[" + heartbeatIntervalMs + "ms]");
    }
    if (maxRequestBytes <= 0) throw new IllegalArgumentException("--max-request-bytes must be > 0");
    if (maxTxnOps <= 0) throw new IllegalArgumentException("--max-txn-ops must be > 0");
    if (quotaBackendBytes <= 0) throw new IllegalArgumentException("--quota-backend-bytes must be > 0");
    if (!initialClusterState.equals("new") && !initialClusterState.equals("existing")) {
      throw new IllegalArgumentException("--initial-cluster-state must be 'new' or 'existing', got '" + initialClusterState + "'");
    }
    if (!initialCluster.containsKey(name)) {
      throw new IllegalArgumentException("--initial-cluster has no member named '" + name + "' (set --name or --initial-cluster)");
    }
    if (serverInstances <= 0) throw new IllegalArgumentException("server instances must be > 0");
    if (watchProgressNotifyIntervalMs <= 0) {
      throw new IllegalArgumentException("--experimental-watch-progress-notify-interval must be > 0");
    }
    if (lease == null) lease = LeaseSettings.DEFAULT;
    if (auth == null) auth = AuthSettings.DEFAULT;
    if (logRetention == null) logRetention = LogRetention.DEFAULT;
    if (membership == null) membership = io.vkv.node.membership.MembershipSettings.DEFAULT;
    if (clientTls == null) clientTls = TlsSettings.NONE;
    if (peerTls == null) peerTls = TlsSettings.NONE;
    if (corruptCheck == null) corruptCheck = CorruptCheckSettings.DEFAULT;
    listenClientUrls = List.copyOf(listenClientUrls);
    advertiseClientUrls = List.copyOf(advertiseClientUrls);
    listenPeerUrls = List.copyOf(listenPeerUrls);
    initialAdvertisePeerUrls = List.copyOf(initialAdvertisePeerUrls);
    initialCluster = Map.copyOf(initialCluster);
  }

  /** A one-member cluster on the given ports of 127.0.0.1 (0 = any free port), for tests and embedding. */
  public static NodeConfig singleMember(Path dataDir, int clientPort, int peerPort) {
    URI client = URI.create("http://127.0.0.1:" + clientPort);
    URI peer = URI.create("http://127.0.0.1:" + peerPort);
    return builder().name("default").dataDir(dataDir).listenClientUrls(List.of(client)).advertiseClientUrls(List.of(client))
        .listenPeerUrls(List.of(peer)).initialAdvertisePeerUrls(List.of(peer)).initialCluster(Map.of("default", List.of(peer)))
        .initialClusterState("new").initialClusterToken("etcd-cluster").heartbeatIntervalMs(100).electionTimeoutMs(1000)
        .logLevel("info").serverInstances(2).build();
  }

  /**
   * Starts with the default limits and progress notify interval; lease, auth and log retention left null get their defaults from
   * the constructor. Everything else must be set: {@link Builder#build()} checks it as the constructor does.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this config's values, to derive a config that differs in a few. */
  public Builder toBuilder() {
    return new Builder().name(name).dataDir(dataDir).listenClientUrls(listenClientUrls)
        .advertiseClientUrls(advertiseClientUrls).listenPeerUrls(listenPeerUrls)
        .initialAdvertisePeerUrls(initialAdvertisePeerUrls).initialCluster(initialCluster)
        .initialClusterState(initialClusterState).initialClusterToken(initialClusterToken)
        .heartbeatIntervalMs(heartbeatIntervalMs).electionTimeoutMs(electionTimeoutMs).maxRequestBytes(maxRequestBytes)
        .maxTxnOps(maxTxnOps).quotaBackendBytes(quotaBackendBytes).logLevel(logLevel).serverInstances(serverInstances)
        .watchProgressNotifyIntervalMs(watchProgressNotifyIntervalMs).lease(lease).auth(auth)
        .logRetention(logRetention).membership(membership).clientTls(clientTls).peerTls(peerTls).corruptCheck(corruptCheck);
  }

  /** Setters named after the record's components. */
  public static final class Builder {
    private String name;
    private Path dataDir;
    private List<URI> listenClientUrls;
    private List<URI> advertiseClientUrls;
    private List<URI> listenPeerUrls;
    private List<URI> initialAdvertisePeerUrls;
    private Map<String, List<URI>> initialCluster;
    private String initialClusterState;
    private String initialClusterToken;
    private long heartbeatIntervalMs;
    private long electionTimeoutMs;
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private int maxTxnOps = DEFAULT_MAX_TXN_OPS;
    private long quotaBackendBytes = DEFAULT_QUOTA_BACKEND_BYTES;
    private String logLevel;
    private int serverInstances;
    private long watchProgressNotifyIntervalMs = DEFAULT_WATCH_PROGRESS_NOTIFY_INTERVAL_MS;
    private LeaseSettings lease;
    private AuthSettings auth;
    private LogRetention logRetention;
    private io.vkv.node.membership.MembershipSettings membership;
    private TlsSettings clientTls;
    private TlsSettings peerTls;
    private CorruptCheckSettings corruptCheck;

    private Builder() {
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    public Builder listenClientUrls(List<URI> listenClientUrls) {
      this.listenClientUrls = listenClientUrls;
      return this;
    }

    public Builder advertiseClientUrls(List<URI> advertiseClientUrls) {
      this.advertiseClientUrls = advertiseClientUrls;
      return this;
    }

    public Builder listenPeerUrls(List<URI> listenPeerUrls) {
      this.listenPeerUrls = listenPeerUrls;
      return this;
    }

    public Builder initialAdvertisePeerUrls(List<URI> initialAdvertisePeerUrls) {
      this.initialAdvertisePeerUrls = initialAdvertisePeerUrls;
      return this;
    }

    public Builder initialCluster(Map<String, List<URI>> initialCluster) {
      this.initialCluster = initialCluster;
      return this;
    }

    public Builder initialClusterState(String initialClusterState) {
      this.initialClusterState = initialClusterState;
      return this;
    }

    public Builder initialClusterToken(String initialClusterToken) {
      this.initialClusterToken = initialClusterToken;
      return this;
    }

    public Builder heartbeatIntervalMs(long heartbeatIntervalMs) {
      this.heartbeatIntervalMs = heartbeatIntervalMs;
      return this;
    }

    public Builder electionTimeoutMs(long electionTimeoutMs) {
      this.electionTimeoutMs = electionTimeoutMs;
      return this;
    }

    public Builder maxRequestBytes(int maxRequestBytes) {
      this.maxRequestBytes = maxRequestBytes;
      return this;
    }

    public Builder maxTxnOps(int maxTxnOps) {
      this.maxTxnOps = maxTxnOps;
      return this;
    }

    public Builder quotaBackendBytes(long quotaBackendBytes) {
      this.quotaBackendBytes = quotaBackendBytes;
      return this;
    }

    public Builder logLevel(String logLevel) {
      this.logLevel = logLevel;
      return this;
    }

    public Builder serverInstances(int serverInstances) {
      this.serverInstances = serverInstances;
      return this;
    }

    public Builder watchProgressNotifyIntervalMs(long watchProgressNotifyIntervalMs) {
      this.watchProgressNotifyIntervalMs = watchProgressNotifyIntervalMs;
      return this;
    }

    /** null means etcd's lease defaults (5 min checkpoints, 1000 revokes/s). */
    public Builder lease(LeaseSettings lease) {
      this.lease = lease;
      return this;
    }

    /** null means the auth defaults. */
    public Builder auth(AuthSettings auth) {
      this.auth = auth;
      return this;
    }

    public Builder logRetention(LogRetention logRetention) {
      this.logRetention = logRetention;
      return this;
    }

    public Builder membership(io.vkv.node.membership.MembershipSettings membership) {
      this.membership = membership;
      return this;
    }

    /** null means no TLS on the client port (its URLs must then be http). */
    public Builder clientTls(TlsSettings clientTls) {
      this.clientTls = clientTls;
      return this;
    }

    /** null means no TLS on the peer port (its URLs must then be http). */
    public Builder peerTls(TlsSettings peerTls) {
      this.peerTls = peerTls;
      return this;
    }

    /** null means etcd's defaults: no initial check, no periodic check. */
    public Builder corruptCheck(CorruptCheckSettings corruptCheck) {
      this.corruptCheck = corruptCheck;
      return this;
    }

    public NodeConfig build() {
      return new NodeConfig(name, dataDir, listenClientUrls, advertiseClientUrls, listenPeerUrls, initialAdvertisePeerUrls,
          initialCluster, initialClusterState, initialClusterToken, heartbeatIntervalMs, electionTimeoutMs,
          maxRequestBytes, maxTxnOps, quotaBackendBytes, logLevel, serverInstances, watchProgressNotifyIntervalMs, lease, auth,
          logRetention, membership, clientTls, peerTls, corruptCheck);
    }
  }

  public Path storeDir() {
    return dataDir.resolve("member").resolve("store");
  }

  public Path walDir() {
    return dataDir.resolve("member").resolve("wal");
  }
}
