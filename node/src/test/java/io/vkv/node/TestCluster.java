package io.vkv.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vkv.api.etcdserverpb.MaintenanceGrpcClient;
import io.vkv.api.etcdserverpb.StatusRequest;
import io.vkv.node.lease.LeaseSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Three in-process members on loopback ports (heartbeat 50 ms, election 500 ms), stopped by {@link #close()}. */
final class TestCluster implements AutoCloseable {
  static final long HEARTBEAT_MS = 50;
  static final long ELECTION_MS = 500;

  final List<VkvNode> nodes = new ArrayList<>();
  private final Vertx vertx = Vertx.vertx();
  private final GrpcClient grpc = GrpcClient.client(vertx);

  static TestCluster start(Path dir, LeaseSettings lease) throws Exception {
    TestCluster c = new TestCluster();
    int[] peerPorts = {freePort(), freePort(), freePort()};
    Map<String, List<URI>> cluster = new HashMap<>();
    for (int i = 0; i < 3; i++) cluster.put("m" + i, List.of(URI.create("http://127.0.0.1:" + peerPorts[i])));
    List<Future<VkvNode>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      URI client = URI.create("http://127.0.0.1:0");
      URI peer = cluster.get("m" + i).get(0);
      starting.add(VkvNode.start(new NodeConfig("m" + i, dir.resolve("m" + i), List.of(client), List.of(client),
          List.of(peer), List.of(peer), cluster, "new", "test-cluster", HEARTBEAT_MS, ELECTION_MS,
          NodeConfig.DEFAULT_MAX_REQUEST_BYTES, NodeConfig.DEFAULT_MAX_TXN_OPS, NodeConfig.DEFAULT_QUOTA_BACKEND_BYTES,
          "info", 1, NodeConfig.DEFAULT_WATCH_PROGRESS_NOTIFY_INTERVAL_MS, lease)));
    }
    for (Future<VkvNode> f : starting) c.nodes.add(f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    return c;
  }

  /** Polls Maintenance.Status until every running member names the same leader among them. */
  VkvNode awaitLeader() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20 * ELECTION_MS);
    List<Long> seen = List.of();
    while (System.nanoTime() < deadline) {
      seen = new ArrayList<>();
      for (VkvNode n : nodes) seen.add(leaderSeenBy(n));
      long first = seen.get(0);
      if (first != 0 && seen.stream().allMatch(l -> l == first)) {
        for (VkvNode n : nodes) if (n.memberId() == first) return n;
      }
      Thread.sleep(20); // polling with a deadline
    }
    throw new AssertionError("no single leader; members see " + seen);
  }

  List<VkvNode> followers(VkvNode leader) {
    return nodes.stream().filter(n -> n != leader).toList();
  }

  void stop(VkvNode n) {
    TestNodes.stop(n);
    nodes.remove(n);
  }

  String endpoints() {
    return String.join(",", nodes.stream().map(VkvNode::endpoints).toList());
  }

  private long leaderSeenBy(VkvNode n) {
    try {
      URI u = n.clientUrls().get(0);
      return MaintenanceGrpcClient.create(grpc, SocketAddress.inetSocketAddress(u.getPort(), u.getHost()))
          .status(StatusRequest.getDefaultInstance()).toCompletionStage().toCompletableFuture()
          .get(5, TimeUnit.SECONDS).getLeader();
    } catch (Exception e) {
      return 0;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    for (VkvNode n : new ArrayList<>(nodes)) TestNodes.stop(n);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
