package io.vkv.node;

import io.vkv.node.lease.LeaseSettings;
import io.vkv.node.raft.LogRetention;
import io.vkv.node.membership.MembershipSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import io.vkv.node.auth.AuthSettings;
import io.vkv.node.tls.CipherSuites;
import io.vkv.node.tls.TlsSettings;
import io.vkv.node.tls.TlsVersions;
import picocli.CommandLine.Option;

/** The `vkv` command line: etcd's flag names and defaults, parsed by picocli into a {@link NodeConfig}. */
@Command(name = "vkv", mixinStandardHelpOptions = true, versionProvider = NodeCommand.Version.class,
    description = "A strongly consistent key-value store that speaks the etcd v3 API.",
    sortOptions = false, usageHelpAutoWidth = true,
    footer = {"", "Snapshots (etcd's file format): vkv snapshot status FILE, vkv snapshot restore FILE --data-dir ... "
        + "(vkv snapshot --help)."})
public final class NodeCommand implements Callable<NodeConfig> {

  @Option(names = "--name", defaultValue = "default", description = "Human-readable name for this member (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--data-dir", description = "Path to the data directory (default: <name>.vkv).")
  Path dataDir;

  @Option(names = "--listen-client-urls", defaultValue = "http://127.0.0.1:2379", split = ",",
      description = "URLs to listen on for client traffic (default: ${DEFAULT-VALUE}).")
  List<String> listenClientUrls;

  @Option(names = "--advertise-client-urls", split = ",",
      description = "Client URLs advertised to the rest of the cluster (default: the listen client URLs).")
  List<String> advertiseClientUrls;

  @Option(names = "--listen-peer-urls", defaultValue = "http://127.0.0.1:2380", split = ",",
      description = "URLs to listen on for peer traffic (default: ${DEFAULT-VALUE}).")
  List<String> listenPeerUrls;

  @Option(names = "--initial-advertise-peer-urls", split = ",",
      description = "Peer URLs advertised to the rest of the cluster (default: the listen peer URLs).")
  List<String> initialAdvertisePeerUrls;

  @Option(names = "--initial-cluster",
      description = "Initial cluster configuration, name=peerURL,... (default: <name>=<initial-advertise-peer-urls>).")
  String initialCluster;

  @Option(names = "--initial-cluster-state", defaultValue = "new", description = "'new' or 'existing' (default: ${DEFAULT-VALUE}).")
  String initialClusterState;

  @Option(names = "--initial-cluster-token", defaultValue = "etcd-cluster", description = "Initial cluster token (default: ${DEFAULT-VALUE}).")
  String initialClusterToken;

  @Option(names = "--heartbeat-interval", defaultValue = "100", description = "Time (in milliseconds) of a heartbeat interval (default: ${DEFAULT-VALUE}).")
  long heartbeatInterval;

  @Option(names = "--election-timeout", defaultValue = "1000", description = "Time (in milliseconds) for an election to timeout (default: ${DEFAULT-VALUE}).")
  long electionTimeout;

  @Option(names = "--max-request-bytes", defaultValue = "1572864", description = "Maximum client request size in bytes the server will accept (default: ${DEFAULT-VALUE}).")
  int maxRequestBytes;

  @Option(names = "--max-txn-ops", defaultValue = "128", description = "Maximum number of operations permitted in a transaction (default: ${DEFAULT-VALUE}).")
  int maxTxnOps;

  @Option(names = "--quota-backend-bytes", defaultValue = "2147483648", description = "Raise alarms when backend size exceeds the given quota (default: ${DEFAULT-VALUE}).")
  long quotaBackendBytes;

  @Option(names = "--log-level", defaultValue = "info", description = "debug, info, warn, error, panic or fatal (default: ${DEFAULT-VALUE}).")
  String logLevel;

  @Option(names = "--server-instances", defaultValue = "2", description = "Event-loop verticle instances serving the client port (default: ${DEFAULT-VALUE}).")
  int serverInstances;

  @Option(names = "--experimental-watch-progress-notify-interval", defaultValue = "10m", converter = DurationConverter.class,
      description = "Interval of progress notifications to watchers that asked for them, e.g. 10m, 500ms (default: ${DEFAULT-VALUE}).")
  long watchProgressNotifyIntervalMs;

  @Option(names = "--experimental-lease-checkpoint-interval", defaultValue = "5m", converter = DurationConverter.class,
      description = "How often the leader writes the remaining TTL of every lease into the log, so that a leader change does not reset it (default: ${DEFAULT-VALUE}).")
  long leaseCheckpointIntervalMs;

  @Option(names = "--experimental-lease-revoke-rate", defaultValue = "1000",
      description = "The most expired leases the leader revokes per second (default: ${DEFAULT-VALUE}).")
  int leaseRevokeRate;

  @Option(names = "--snapshot-count", defaultValue = "50000",
      description = "Number of applied entries after which the Raft log is compacted (default: ${DEFAULT-VALUE}; etcd's is 100000).")
  long snapshotCount;

  @Option(names = {"--experimental-snapshot-catchup-entries", "--snapshot-catchup-entries"}, defaultValue = "10000",
      description = "Number of entries kept behind the applied index at a compaction, so that a slow follower catches up from the log "
          + "rather than a snapshot (default: ${DEFAULT-VALUE}; etcd's is 5000).")
  long snapshotCatchupEntries;

  @Option(names = "--auth-token", defaultValue = "simple",
      description = "Specify auth token type and its options: 'simple' or 'jwt,pub-key=FILE,priv-key=FILE,sign-method=RS256|ES256|...,ttl=5m' (default: ${DEFAULT-VALUE}).")
  String authToken;

  @Option(names = "--auth-token-ttl", defaultValue = "300",
      description = "The lifetime in seconds of the auth token after its last use (default: ${DEFAULT-VALUE}).")
  long authTokenTtl;

  @Option(names = "--bcrypt-cost", defaultValue = "10",
      description = "Specify bcrypt algorithm cost factor for auth password hashing (default: ${DEFAULT-VALUE}).")
  int bcryptCost;

  @Option(names = "--strict-reconfig-check", arity = "0..1", defaultValue = "true", fallbackValue = "true",
      description = "Reject reconfiguration requests that would cause quorum loss (default: ${DEFAULT-VALUE}).")
  boolean strictReconfigCheck;

  @Option(names = "--experimental-auto-promote-learners", arity = "0..1", defaultValue = "false", fallbackValue = "true",
      description = "The leader promotes a learner to a voting member as soon as it is in sync (default: ${DEFAULT-VALUE}).")
  boolean autoPromoteLearners;

  @Option(names = "--experimental-initial-corrupt-check", arity = "0..1", defaultValue = "false", fallbackValue = "true",
      description = "Before serving, compare this member's key-space hash with its peers' and refuse to start on a mismatch (default: ${DEFAULT-VALUE}).")
  boolean initialCorruptCheck;

  @Option(names = "--experimental-corrupt-check-time", defaultValue = "0s", converter = DurationConverter.class,
      description = "How often the leader compares every member's key-space hash with its own and raises a CORRUPT alarm on a mismatch, e.g. 5m; 0s: never (default: ${DEFAULT-VALUE}).")
  long corruptCheckTimeMs;

  @Option(names = "--cert-file", description = "Path to the client server TLS cert file.")
  Path certFile;

  @Option(names = "--key-file", description = "Path to the client server TLS key file.")
  Path keyFile;

  @Option(names = "--trusted-ca-file", description = "Path to the client server TLS trusted CA cert file.")
  Path trustedCaFile;

  @Option(names = "--client-cert-auth", arity = "0..1", defaultValue = "false", fallbackValue = "true",
      description = "Enable client cert authentication (default: ${DEFAULT-VALUE}).")
  boolean clientCertAuth;

  @Option(names = "--auto-tls", arity = "0..1", defaultValue = "false", fallbackValue = "true",
      description = "Client TLS using generated certificates (default: ${DEFAULT-VALUE}).")
  boolean autoTls;

  @Option(names = "--client-crl-file", description = "Path to the client certificate revocation list file.")
  Path clientCrlFile;

  @Option(names = "--client-cert-allowed-hostname", defaultValue = "",
      description = "Allowed TLS hostname for client cert authentication.")
  String clientCertAllowedHostname;

  @Option(names = "--peer-cert-file", description = "Path to the peer server TLS cert file.")
  Path peerCertFile;

  @Option(names = "--peer-key-file", description = "Path to the peer server TLS key file.")
  Path peerKeyFile;

  @Option(names = "--peer-trusted-ca-file", description = "Path to the peer server TLS trusted CA file.")
  Path peerTrustedCaFile;

  @Option(names = "--peer-client-cert-auth", arity = "0..1", defaultValue = "false", fallbackValue = "true",
      description = "Enable peer client cert authentication (default: ${DEFAULT-VALUE}).")
  boolean peerClientCertAuth;

  @Option(names = "--peer-auto-tls", arity = "0..1", defaultValue = "false", fallbackValue = "true",
      description = "Peer TLS using self-generated certificates if --peer-key-file and --peer-cert-file are not provided (default: ${DEFAULT-VALUE}).")
  boolean peerAutoTls;

  @Option(names = "--peer-cert-allowed-cn", defaultValue = "",
      description = "Required CN for client certs connecting to the peer endpoint.")
  String peerCertAllowedCn;

  @Option(names = "--peer-cert-allowed-hostname", defaultValue = "",
      description = "Allowed TLS hostname for inter peer authentication.")
  String peerCertAllowedHostname;

  @Option(names = "--peer-crl-file", description = "Path to the peer certificate revocation list file.")
  Path peerCrlFile;

  // etcd 3.4 and 3.5 call it experimental; 3.6 drops the prefix
  @Option(names = {"--experimental-peer-skip-client-san-verification", "--peer-skip-client-san-verification"},
      arity = "0..1", defaultValue = "false", fallbackValue = "true",
      description = "Skip verification of SAN field in client certificate for peer connections (default: ${DEFAULT-VALUE}).")
  boolean peerSkipClientSanVerification;

  @Option(names = "--cipher-suites", defaultValue = "",
      description = "Comma-separated list of supported TLS cipher suites between client/server and peers, Go's names (empty: the JVM's defaults).")
  String cipherSuites;

  @Option(names = "--tls-min-version", defaultValue = "TLS1.2",
      description = "Minimum TLS version supported by vkv: TLS1.2 or TLS1.3 (default: ${DEFAULT-VALUE}).")
  String tlsMinVersion;

  @Option(names = "--tls-max-version", defaultValue = "",
      description = "Maximum TLS version supported by vkv: TLS1.2 or TLS1.3 (empty: the newest).")
  String tlsMaxVersion;

  @Override
  public NodeConfig call() {
    List<URI> listenClient = urls("--listen-client-urls", listenClientUrls);
    List<URI> advertiseClient = advertiseClientUrls == null ? listenClient : urls("--advertise-client-urls", advertiseClientUrls);
    List<URI> listenPeer = urls("--listen-peer-urls", listenPeerUrls);
    List<URI> advertisePeer = initialAdvertisePeerUrls == null ? listenPeer : urls("--initial-advertise-peer-urls", initialAdvertisePeerUrls);
    Map<String, List<URI>> cluster = initialCluster == null ? Map.of(name, advertisePeer) : parseCluster(initialCluster);
    if (!List.of("debug", "info", "warn", "error", "panic", "fatal").contains(logLevel)) {
      throw new IllegalArgumentException("--log-level must be one of debug, info, warn, error, panic, fatal; got '" + logLevel + "'");
    }
    io.vkv.node.auth.JwtSettings jwt = null;
    if (authToken.equals("jwt") || authToken.startsWith("jwt,")) {
      jwt = io.vkv.node.auth.JwtSettings.parse(authToken, new DurationConverter()::convert);
    } else if (!authToken.equals("simple")) {
      throw new IllegalArgumentException("--auth-token '" + authToken + "' is not supported: 'simple' or 'jwt,pub-key=...,priv-key=...,sign-method=...[,ttl=5m]'");
    }
    java.util.Set<String> protocols = TlsVersions.protocols(tlsMinVersion, tlsMaxVersion);
    List<String> suites = CipherSuites.toJsse(List.of(cipherSuites.split(",")));
    if (!suites.isEmpty() && !protocols.contains("TLSv1.2")) {
      throw new IllegalArgumentException("--cipher-suites cannot be set when only TLS1.3 is enabled (TLS 1.3's suites are fixed)");
    }
    TlsSettings clientTls = new TlsSettings(certFile, keyFile, trustedCaFile, clientCertAuth, autoTls, null, protocols, suites,
        clientCrlFile, clientCertAllowedHostname, false);
    TlsSettings peerTls = new TlsSettings(peerCertFile, peerKeyFile, peerTrustedCaFile, peerClientCertAuth, peerAutoTls,
        peerCertAllowedCn, protocols, suites, peerCrlFile, peerCertAllowedHostname, peerSkipClientSanVerification);
    return NodeConfig.builder().clientTls(clientTls).peerTls(peerTls).name(name).dataDir(dataDir == null ? Path.of(name + ".vkv") : dataDir)
        .listenClientUrls(listenClient).advertiseClientUrls(advertiseClient).listenPeerUrls(listenPeer)
        .initialAdvertisePeerUrls(advertisePeer).initialCluster(cluster).initialClusterState(initialClusterState)
        .initialClusterToken(initialClusterToken).heartbeatIntervalMs(heartbeatInterval).electionTimeoutMs(electionTimeout)
        .maxRequestBytes(maxRequestBytes).maxTxnOps(maxTxnOps).quotaBackendBytes(quotaBackendBytes).logLevel(logLevel)
        .serverInstances(serverInstances).watchProgressNotifyIntervalMs(watchProgressNotifyIntervalMs)
        .lease(new LeaseSettings(leaseCheckpointIntervalMs, leaseRevokeRate)).auth(new AuthSettings(authTokenTtl, bcryptCost, jwt))
        .logRetention(new LogRetention(snapshotCount, snapshotCatchupEntries))
        .membership(new MembershipSettings(strictReconfigCheck, autoPromoteLearners, 1))
        .corruptCheck(new io.vkv.node.corruption.CorruptCheckSettings(initialCorruptCheck, corruptCheckTimeMs)).build();
  }

  /** Parses "a=http://h:1,b=http://h:2,a=http://h:3" into name → peer URLs, keeping order. */
  public static Map<String, List<URI>> parseCluster(String spec) {
    Map<String, List<URI>> members = new LinkedHashMap<>();
    for (String part : spec.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0 || eq == part.length() - 1) {
        throw new IllegalArgumentException("--initial-cluster: expected name=url, got '" + part + "'");
      }
      members.computeIfAbsent(part.substring(0, eq).trim(), k -> new ArrayList<>())
          .add(url("--initial-cluster", part.substring(eq + 1).trim()));
    }
    return members;
  }

  private static List<URI> urls(String flag, List<String> values) {
    List<URI> out = new ArrayList<>();
    for (String v : values) out.add(url(flag, v.trim()));
    return out;
  }

  /** etcd accepts http(s)://host:port URLs only; anything else is a usage error. */
  public static URI url(String flag, String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (Exception e) {
      throw new IllegalArgumentException(flag + ": invalid URL '" + value + "'");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException(flag + ": URL scheme must be http or https: '" + value + "'");
    }
    if (uri.getHost() == null || uri.getPort() < 0 || uri.getPort() > 65535) {
      throw new IllegalArgumentException(flag + ": URL must have a host and a port: '" + value + "'");
    }
    return uri;
  }

  /** Go-style durations as etcd takes them: 500ms, 10s, 10m, 1h (a bare number is milliseconds). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(value.trim());
      if (!m.matches()) throw new CommandLine.TypeConversionException("invalid duration '" + value + "' (e.g. 500ms, 10s, 10m)");
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "ms" : m.group(2);
      return switch (unit) {
        case "s" -> n * 1000;
        case "m" -> n * 60_000;
        case "h" -> n * 3_600_000;
        default -> n;
      };
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"vkv Version: " + VkvVersion.VKV, "API version: " + VkvVersion.ETCD_API};
    }
  }
}
