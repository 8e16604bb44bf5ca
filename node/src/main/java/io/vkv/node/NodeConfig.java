package io.vkv.node;

import io.vkv.node.auth.AuthSettings;
import io.vkv.node.lease.LeaseSettings;
import io.vkv.node.raft.LogRetention;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a node is started with, named after etcd's flags and defaulting to etcd's values.
 * Immutable; built by {@link NodeCommand} from the command line or directly by tests.
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
    LogRetention logRetention) {

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
    listenClientUrls = List.copyOf(listenClientUrls);
    advertiseClientUrls = List.copyOf(advertiseClientUrls);
    listenPeerUrls = List.copyOf(listenPeerUrls);
    initialAdvertisePeerUrls = List.copyOf(initialAdvertisePeerUrls);
    initialCluster = Map.copyOf(initialCluster);
  }

  /** With etcd's lease defaults (5 min checkpoints, 1000 revokes/s). */
  public NodeConfig(String name, Path dataDir, List<URI> listenClientUrls, List<URI> advertiseClientUrls,
      List<URI> listenPeerUrls, List<URI> initialAdvertisePeerUrls, Map<String, List<URI>> initialCluster,
      String initialClusterState, String initialClusterToken, long heartbeatIntervalMs, long electionTimeoutMs,
      int maxRequestBytes, int maxTxnOps, long quotaBackendBytes, String logLevel, int serverInstances,
      long watchProgressNotifyIntervalMs) {
    this(name, dataDir, listenClientUrls, advertiseClientUrls, listenPeerUrls, initialAdvertisePeerUrls, initialCluster,
        initialClusterState, initialClusterToken, heartbeatIntervalMs, electionTimeoutMs, maxRequestBytes, maxTxnOps,
        quotaBackendBytes, logLevel, serverInstances, watchProgressNotifyIntervalMs, LeaseSettings.DEFAULT, AuthSettings.DEFAULT,
        LogRetention.DEFAULT);
  }

  /** A one-member cluster on the given ports of 127.0.0.1 (0 = any free port), for tests and embedding. */
  public static NodeConfig singleMember(Path dataDir, int clientPort, int peerPort) {
    URI client = URI.create("http://127.0.0.1:" + clientPort);
    URI peer = URI.create("http://127.0.0.1:" + peerPort);
    return new NodeConfig("default", dataDir, List.of(client), List.of(client), List.of(peer), List.of(peer),
        Map.of("default", List.of(peer)), "new", "etcd-cluster", 100, 1000,
        DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_TXN_OPS, DEFAULT_QUOTA_BACKEND_BYTES, "info", 2,
        DEFAULT_WATCH_PROGRESS_NOTIFY_INTERVAL_MS);
  }

  public NodeConfig withLimits(int maxRequestBytes, int maxTxnOps, long quotaBackendBytes) {
    return new NodeConfig(name, dataDir, listenClientUrls, advertiseClientUrls, listenPeerUrls, initialAdvertisePeerUrls,
        initialCluster, initialClusterState, initialClusterToken, heartbeatIntervalMs, electionTimeoutMs,
        maxRequestBytes, maxTxnOps, quotaBackendBytes, logLevel, serverInstances, watchProgressNotifyIntervalMs, lease, auth,
        logRetention);
  }

  public NodeConfig withLease(LeaseSettings lease) {
    return new NodeConfig(name, dataDir, listenClientUrls, advertiseClientUrls, listenPeerUrls, initialAdvertisePeerUrls,
        initialCluster, initialClusterState, initialClusterToken, heartbeatIntervalMs, electionTimeoutMs,
        maxRequestBytes, maxTxnOps, quotaBackendBytes, logLevel, serverInstances, watchProgressNotifyIntervalMs, lease, auth,
        logRetention);
  }

  public NodeConfig withAuth(AuthSettings auth) {
    return new NodeConfig(name, dataDir, listenClientUrls, advertiseClientUrls, listenPeerUrls, initialAdvertisePeerUrls,
        initialCluster, initialClusterState, initialClusterToken, heartbeatIntervalMs, electionTimeoutMs,
        maxRequestBytes, maxTxnOps, quotaBackendBytes, logLevel, serverInstances, watchProgressNotifyIntervalMs, lease, auth,
        logRetention);
  }

  public NodeConfig withWatchProgressNotifyInterval(long intervalMs) {
    return new NodeConfig(name, dataDir, listenClientUrls, advertiseClientUrls, listenPeerUrls, initialAdvertisePeerUrls,
        initialCluster, initialClusterState, initialClusterToken, heartbeatIntervalMs, electionTimeoutMs,
        maxRequestBytes, maxTxnOps, quotaBackendBytes, logLevel, serverInstances, intervalMs, lease, auth, logRetention);
  }

  public Path storeDir() {
    return dataDir.resolve("member").resolve("store");
  }

  public Path walDir() {
    return dataDir.resolve("member").resolve("wal");
  }
}
