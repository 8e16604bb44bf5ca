package io.vkv.node;

import static io.vkv.node.testing.Ports.freePort;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.node.testing.GrpcStatuses;
import io.vkv.api.etcdserverpb.ClusterGrpcClient;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.MaintenanceGrpcClient;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.etcdserverpb.MemberAddRequest;
import io.vkv.api.etcdserverpb.MemberListRequest;
import io.vkv.api.etcdserverpb.MemberPromoteRequest;
import io.vkv.api.etcdserverpb.MemberRemoveRequest;
import io.vkv.api.etcdserverpb.StatusRequest;
import io.vkv.node.membership.MembershipSettings;
import io.vkv.node.testing.Wait;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * In-process members on loopback that join and leave a cluster through the Cluster API, the way an operator grows and
 * shrinks etcd: add a learner, start it with --initial-cluster-state existing, promote it; remove a member, which
 * then stops by itself. Every call an operator would retry later (UNAVAILABLE, FAILED_PRECONDITION) is retried until
 * {@link #CHANGE_LIMIT}.
 */
final class GrowingCluster implements AutoCloseable {
  static final long HEARTBEAT_MS = 50;
  static final long ELECTION_MS = 500;
  static final Duration CHANGE_LIMIT = Duration.ofSeconds(40);

  final Vertx vertx = Vertx.vertx();
  private final GrpcClient grpc = GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(64 << 20));
  private final Path dir;
  /** The running members by name. */
  final Map<String, VkvNode> running = new ConcurrentHashMap<>();
  private final Map<String, URI> peerUrls = new LinkedHashMap<>();
  private final MembershipSettings settings;

  GrowingCluster(Path dir, MembershipSettings settings) {
    this.dir = dir;
    this.settings = settings;
  }

  /** Adds {@code name} as a learner and starts it joining the cluster; returns it as the add answered. */
  Member addLearner(String name) {
    URI url = URI.create("http://127.0.0.1:" + freePort());
    String via = leaderOrAny();
    Member added = retrying("add " + name, () -> await(cluster(via).memberAdd(MemberAddRequest.newBuilder()
        .addPeerURLs(url.toString()).setIsLearner(true).build())).getMember());
    assertTrue(added.getIsLearner(), "added as a learner");
    peerUrls.put(name, url);
    start(name, "existing");
    return added;
  }

  /** Adds {@code name} as a learner, starts it, promotes it once in sync, waits until every member lists it a voter. */
  void grow(String name) {
    Member added = addLearner(name);
    retrying("promote " + name, () -> await(cluster(leaderOrAny()).memberPromote(MemberPromoteRequest.newBuilder()
        .setID(added.getID()).build())));
    awaitVoter(name, added.getID());
  }

  void awaitVoter(String name, long id) {
    Wait.until(CHANGE_LIMIT, name + " listed as a voter by every member", () -> running.keySet().stream()
        .allMatch(n -> voters(n).contains(id)));
  }

  /** Removes {@code name} through another member; waits until it stopped and no member lists it. */
  void remove(String name) {
    long id = running.get(name).memberId();
    String via = running.keySet().stream().filter(n -> !n.equals(name)).findFirst().orElseThrow();
    retrying("remove " + name, () -> await(cluster(via).memberRemove(MemberRemoveRequest.newBuilder().setID(id).build())));
    Wait.until(CHANGE_LIMIT, name + " gone from every member's list and stopped", () -> !running.containsKey(name)
        && running.keySet().stream().allMatch(n -> !ids(n).contains(id)));
  }

  /** Starts member {@code name}: alone for "new", joining the running members for "existing". */
  VkvNode start(String name, String state) {
    peerUrls.computeIfAbsent(name, n -> URI.create("http://127.0.0.1:" + freePort()));
    String cluster = state.equals("new") ? name + "=" + peerUrls.get(name)
        : running.keySet().stream().filter(n -> !n.equals(name)).map(n -> n + "=" + peerUrls.get(n))
            .collect(Collectors.joining(",")) + "," + name + "=" + peerUrls.get(name);
    URI client = URI.create("http://127.0.0.1:0");
    NodeConfig config = NodeConfig.builder().name(name).dataDir(dir.resolve(name)).listenClientUrls(List.of(client))
        .advertiseClientUrls(List.of(client)).listenPeerUrls(List.of(peerUrls.get(name)))
        .initialAdvertisePeerUrls(List.of(peerUrls.get(name))).initialCluster(NodeCommand.parseCluster(cluster))
        .initialClusterState(state).initialClusterToken("growing-cluster").heartbeatIntervalMs(HEARTBEAT_MS)
        .electionTimeoutMs(ELECTION_MS).logLevel("info").serverInstances(1).membership(settings).build();
    VkvNode node = TestNodes.start(config);
    java.util.concurrent.atomic.AtomicBoolean removed = new java.util.concurrent.atomic.AtomicBoolean();
    node.onRemoved(() -> {
      removed.set(true);
      if (running.remove(name, node)) TestNodes.stop(node);
    });
    running.put(name, node);
    // told before it was listed as running: stop it now
    if (removed.get() && running.remove(name, node)) TestNodes.stop(node);
    return node;
  }

  void stop(String name) {
    TestNodes.stop(running.remove(name));
  }

  /**
   * Runs a membership call until it succeeds. UNAVAILABLE ("unhealthy cluster", "no leader", another change in
   * progress) and FAILED_PRECONDITION (a learner not yet in sync, members not yet started) are refusals an operator
   * retries after a while; any other failure fails the test at once.
   */
  <T> T retrying(String what, Callable<T> call) {
    return Wait.until(CHANGE_LIMIT, what, () -> {
      try {
        return call.call();
      } catch (Exception e) {
        GrpcStatus status = GrpcStatuses.of(e);
        if (status != GrpcStatus.UNAVAILABLE && status != GrpcStatus.FAILED_PRECONDITION) {
          throw new AssertionError(what + " failed", e);
        }
        throw e;
      }
    }, r -> true);
  }

  List<Long> ids(String via) {
    try {
      return await(cluster(via).memberList(MemberListRequest.getDefaultInstance())).getMembersList().stream()
          .map(Member::getID).toList();
    } catch (Exception e) {
      return List.of(-1L); // not answering: not done
    }
  }

  List<Long> voters(String via) {
    try {
      return await(cluster(via).memberList(MemberListRequest.getDefaultInstance())).getMembersList().stream()
          .filter(m -> !m.getIsLearner()).map(Member::getID).toList();
    } catch (Exception e) {
      return List.of();
    }
  }

  String leaderName() {
    return Wait.until(CHANGE_LIMIT, "a leader", () -> {
      long leader = await(maintenance(anyRunning()).status(StatusRequest.getDefaultInstance())).getLeader();
      return running.entrySet().stream().filter(e -> e.getValue().memberId() == leader).map(Map.Entry::getKey)
          .findFirst().orElse(null);
    }, n -> n != null);
  }

  String leaderOrAny() {
    try {
      return leaderName();
    } catch (AssertionError e) {
      return anyRunning();
    }
  }

  String anyRunning() {
    return running.keySet().iterator().next();
  }

  KVGrpcClient kv(String name) {
    return KVGrpcClient.create(grpc, address(name));
  }

  ClusterGrpcClient cluster(String name) {
    return ClusterGrpcClient.create(grpc, address(name));
  }

  MaintenanceGrpcClient maintenance(String name) {
    return MaintenanceGrpcClient.create(grpc, address(name));
  }

  private SocketAddress address(String name) {
    VkvNode node = running.get(name);
    if (node == null) throw new IllegalStateException(name + " is not running");
    URI u = node.clientUrls().get(0);
    return SocketAddress.inetSocketAddress(u.getPort(), u.getHost());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    running.values().forEach(TestNodes::stop);
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
