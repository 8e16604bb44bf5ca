package io.vkv.node;

import static io.vkv.node.testing.Ports.freePort;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vkv.api.etcdserverpb.ClusterGrpcClient;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.MaintenanceGrpcClient;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.api.etcdserverpb.StatusRequest;
import io.vkv.api.etcdserverpb.StatusResponse;
import io.vkv.node.lease.LeaseSettings;
import io.vkv.node.peer.PeerProxy;
import io.vkv.node.raft.LogRetention;
import io.vkv.node.testing.Wait;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Three in-process members on loopback for cluster tests. Each member's peer URL in --initial-cluster is a
 * {@link PeerProxy} in front of its real peer port, so tests can cut and heal links; members can be stopped and
 * started again on the same data dir and ports.
 */
public final class TestCluster implements AutoCloseable {
  static final long HEARTBEAT_MS = 50;
  public static final long ELECTION_MS = 500;
  public static final int SIZE = 3;

  final Vertx vertx = Vertx.vertx();
  public final GrpcClient grpc = GrpcClient.client(vertx);
  private final Path dir;
  private final int[] peerPorts = new int[SIZE];
  private final PeerProxy[] proxies = new PeerProxy[SIZE];
  private final Map<String, List<URI>> initialCluster = new HashMap<>();
  private final VkvNode[] members = new VkvNode[SIZE];
  private final long[] ids = new long[SIZE];

  private final LeaseSettings lease;
  private final LogRetention retention;

  /** Each member's peer TLS (https peer URLs, no proxies: they relay plain frames only), or null for plain text. */
  private java.util.function.IntFunction<io.vkv.node.tls.TlsSettings> peerTls;
  /** null: the defaults */
  private io.vkv.node.auth.AuthSettings auth;

  private TestCluster(Path dir, LeaseSettings lease, LogRetention retention) {
    this.dir = dir;
    this.lease = lease;
    this.retention = retention;
  }

  /** Starts all three members and waits until they serve clients (not for a leader). */
  public static TestCluster start(Path dir) throws Exception {
    return start(dir, LeaseSettings.DEFAULT);
  }

  /** As {@link #start(Path)}, with the lessor's intervals set for the test. */
  static TestCluster start(Path dir, LeaseSettings lease) throws Exception {
    return start(dir, lease, LogRetention.DEFAULT);
  }

  /** As {@link #start(Path)}, with members keeping this much Raft log (to outrun a stopped follower sooner). */
  static TestCluster start(Path dir, LogRetention retention) throws Exception {
    return start(dir, LeaseSettings.DEFAULT, retention);
  }

  /** Prepares a member's data dir before the first start, given its name and etcd's --initial-cluster value. */
  interface DataDirPreparer {
    void prepare(String name, Path dataDir, String initialCluster) throws Exception;
  }

  /** As {@link #start(Path)}, each data dir first prepared (e.g. restored from a snapshot); token "test-cluster". */
  static TestCluster start(Path dir, DataDirPreparer preparer) throws Exception {
    return start(dir, LeaseSettings.DEFAULT, LogRetention.DEFAULT, preparer);
  }

  private static TestCluster start(Path dir, LeaseSettings lease, LogRetention retention) throws Exception {
    return start(dir, lease, retention, null);
  }

  /**
   * Three members talking TLS on https peer URLs with the given peer TLS settings each (members connect to each
   * other directly: links cannot be cut). Starts them without waiting for them all: a member shut out by the others
   * still starts.
   */
  static TestCluster startWithPeerTls(Path dir, java.util.function.IntFunction<io.vkv.node.tls.TlsSettings> peerTls)
      throws Exception {
    return startDirect(dir, peerTls, null, LogRetention.DEFAULT);
  }

  /** As {@link #startWithPeerTls(Path, java.util.function.IntFunction)}, keeping this much Raft log. */
  static TestCluster startWithPeerTls(Path dir, java.util.function.IntFunction<io.vkv.node.tls.TlsSettings> peerTls,
                                      LogRetention retention) throws Exception {
    return startDirect(dir, peerTls, null, retention);
  }

  /** Three members connected directly (no proxies), with this auth configuration. */
  static TestCluster startWithAuth(Path dir, io.vkv.node.auth.AuthSettings auth) throws Exception {
    return startDirect(dir, null, auth, LogRetention.DEFAULT);
  }

  private static TestCluster startDirect(Path dir, java.util.function.IntFunction<io.vkv.node.tls.TlsSettings> peerTls,
                                         io.vkv.node.auth.AuthSettings auth, LogRetention retention) throws Exception {
    TestCluster c = new TestCluster(dir, LeaseSettings.DEFAULT, retention);
    c.peerTls = peerTls;
    c.auth = auth;
    try {
      for (int i = 0; i < SIZE; i++) {
        c.peerPorts[i] = freePort();
        c.initialCluster.put(name(i), List.of(URI.create((peerTls == null ? "http" : "https") + "://127.0.0.1:" + c.peerPorts[i])));
      }
      c.startAll();
      return c;
    } catch (Exception | AssertionError e) {
      c.close();
      throw e;
    }
  }

  private static TestCluster start(Path dir, LeaseSettings lease, LogRetention retention, DataDirPreparer preparer)
      throws Exception {
    TestCluster c = new TestCluster(dir, lease, retention);
    try {
      for (int i = 0; i < SIZE; i++) {
        c.peerPorts[i] = freePort();
        c.proxies[i] = PeerProxy.start(c.vertx, c.peerPorts[i]);
        c.initialCluster.put(name(i), List.of(URI.create("http://127.0.0.1:" + c.proxies[i].port())));
      }
      if (preparer != null) {
        String spec = String.join(",", IntStream.range(0, SIZE).mapToObj(i -> name(i) + "=" + c.initialCluster.get(name(i)).get(0)).toList());
        for (int i = 0; i < SIZE; i++) preparer.prepare(name(i), dir.resolve(name(i)), spec);
      }
      c.startAll();
      return c;
    } catch (Exception | AssertionError e) {
      c.close();
      throw e;
    }
  }

  static String name(int i) {
    return "m" + i;
  }

  NodeConfig config(int i) {
    URI client = URI.create("http://127.0.0.1:0");
    URI listenPeer = URI.create((peerTls == null ? "http" : "https") + "://127.0.0.1:" + peerPorts[i]);
    return NodeConfig.builder().name(name(i)).dataDir(dir.resolve(name(i))).listenClientUrls(List.of(client))
        .advertiseClientUrls(List.of(client)).listenPeerUrls(List.of(listenPeer))
        .initialAdvertisePeerUrls(initialCluster.get(name(i))).initialCluster(initialCluster).initialClusterState("new")
        .initialClusterToken("test-cluster").heartbeatIntervalMs(HEARTBEAT_MS).electionTimeoutMs(ELECTION_MS)
        .logLevel("info").serverInstances(1).lease(lease).logRetention(retention)
        .peerTls(peerTls == null ? null : peerTls.apply(i)).auth(auth).build();
  }

  /** Starts every stopped member at once (a lone restarted member would wait for the others anyway). */
  void startAll() throws Exception {
    start(IntStream.range(0, SIZE).filter(i -> members[i] == null).boxed().toList());
  }

  /** Starts the given (stopped) members at once, on their data dirs and peer ports. */
  void start(List<Integer> stopped) throws Exception {
    List<Future<VkvNode>> starting = new ArrayList<>();
    for (int i : stopped) starting.add(VkvNode.start(config(i)));
    for (int k = 0; k < stopped.size(); k++) {
      int i = stopped.get(k);
      members[i] = starting.get(k).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      ids[i] = members[i].memberId();
    }
  }

  void start(int i) {
    if (members[i] == null) members[i] = TestNodes.start(config(i));
  }

  void stop(int i) {
    TestNodes.stop(members[i]);
    members[i] = null;
  }

  void stopAll() {
    for (int i = 0; i < SIZE; i++) stop(i);
  }

  public VkvNode member(int i) {
    return members[i];
  }

  long id(int i) {
    return ids[i];
  }

  /** The port member i listens on for peers. */
  int peerPort(int i) {
    return peerPorts[i];
  }

  int indexOf(long memberId) {
    for (int i = 0; i < SIZE; i++) if (ids[i] == memberId) return i;
    throw new AssertionError("no member " + Long.toHexString(memberId));
  }

  public List<Integer> running() {
    return IntStream.range(0, SIZE).filter(i -> members[i] != null).boxed().toList();
  }

  List<Integer> others(int i) {
    return IntStream.range(0, SIZE).filter(j -> j != i).boxed().toList();
  }

  /** Cuts every link to and from member {@code i}. */
  void isolate(int i) {
    for (int j : others(i)) {
      proxies[j].cutFrom(ids[i]);
      proxies[i].cutFrom(ids[j]);
    }
  }

  void heal() {
    for (PeerProxy p : proxies) p.healAll();
  }

  /** etcdctl's --endpoints for the running members. */
  String endpoints() {
    return String.join(",", running().stream().map(i -> members[i].endpoints()).toList());
  }

  KVGrpcClient kv(int i) {
    return KVGrpcClient.create(grpc, address(i));
  }

  MaintenanceGrpcClient maintenance(int i) {
    return MaintenanceGrpcClient.create(grpc, address(i));
  }

  ClusterGrpcClient cluster(int i) {
    return ClusterGrpcClient.create(grpc, address(i));
  }

  public SocketAddress address(int i) {
    URI u = members[i].clientUrls().get(0);
    return SocketAddress.inetSocketAddress(u.getPort(), u.getHost());
  }

  StatusResponse status(int i) throws Exception {
    return await(maintenance(i).status(StatusRequest.getDefaultInstance()));
  }

  /**
   * Polls Maintenance.Status until every given member names the same leader, one of them; returns its index.
   */
  public int awaitOneLeader(List<Integer> among, long withinMs) {
    List<Long> seen = new ArrayList<>();
    Wait.until(Duration.ofMillis(withinMs),
        () -> "a single leader among " + among + "; members see " + seen.stream().map(Long::toHexString).toList(),
        () -> {
          seen.clear();
          for (int i : among) seen.add(status(i).getLeader());
          long first = seen.get(0);
          return first != 0 && seen.stream().allMatch(l -> l == first) && among.stream().anyMatch(i -> ids[i] == first);
        });
    return indexOf(seen.get(0));
  }

  void put(int i, String key, String value) throws Exception {
    await(kv(i).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
        .setValue(ByteString.copyFromUtf8(value)).build()));
  }

  /** A linearizable get; null if absent. */
  String get(int i, String key) throws Exception {
    RangeResponse r = await(kv(i).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build()));
    return r.getKvsCount() == 0 ? null : r.getKvs(0).getValue().toStringUtf8();
  }

  /** Every key under {@code prefix} with its value, read (linearizably) from member {@code i}. */
  Map<String, String> scan(int i, String prefix, boolean serializable) throws Exception {
    byte[] end = prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    end[end.length - 1]++;
    RangeResponse r = await(kv(i).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(prefix))
        .setRangeEnd(ByteString.copyFrom(end)).setSerializable(serializable).build()));
    Map<String, String> found = new HashMap<>();
    r.getKvsList().forEach(kv -> found.put(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8()));
    return found;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    try {
      stopAll();
      for (PeerProxy p : proxies) if (p != null) p.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
