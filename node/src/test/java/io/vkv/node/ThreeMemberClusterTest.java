package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.MaintenanceGrpcClient;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.api.etcdserverpb.StatusRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three in-process members on loopback: election, follower writes, linearizable reads, leader failover. */
class ThreeMemberClusterTest {
  static final long HEARTBEAT_MS = 50;
  static final long ELECTION_MS = 500;

  @TempDir Path dir;
  final Vertx vertx = Vertx.vertx();
  final GrpcClient grpc = GrpcClient.client(vertx);
  final List<VkvNode> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (VkvNode n : nodes) TestNodes.stop(n);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void electsForwardsReadsAndFailsOver() throws Exception {
    startCluster();
    long leader = awaitOneLeader(nodes, ELECTION_MS * 10);

    // etcdctl sees exactly one leader among the three
    String status = new Etcdctl(String.join(",", nodes.stream().map(VkvNode::endpoints).toList()))
        .run("endpoint", "status", "-w", "json").assertOk().out();
    JsonArray endpoints = new JsonArray(status);
    assertEquals(3, endpoints.size(), status);
    long leaders = endpoints.stream().map(o -> (io.vertx.core.json.JsonObject) o)
        .filter(o -> o.getJsonObject("Status").getJsonObject("header").getLong("member_id")
            .equals(o.getJsonObject("Status").getLong("leader"))).count();
    assertEquals(1, leaders, status);

    // a put on a follower is forwarded to the leader and readable (linearizable) on every member
    VkvNode follower = nodes.stream().filter(n -> n.memberId() != leader).findFirst().orElseThrow();
    put(kv(follower), "from-follower", "1");
    for (VkvNode n : nodes) assertEquals("1", get(kv(n), "from-follower"), "on member " + n.config().name());

    // a small write load through the followers while the leader stops
    List<VkvNode> survivors = nodes.stream().filter(n -> n.memberId() != leader).toList();
    VkvNode oldLeader = nodes.stream().filter(n -> n.memberId() == leader).findFirst().orElseThrow();
    Map<String, String> acked = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger writing = new AtomicInteger();
    for (int w = 0; w < 4; w++) writeLoop(kv(survivors.get(w % 2)), "load/w" + w + "/", 0, acked, stop, writing);
    awaitTrue(() -> acked.size() >= 20, 10_000, "writes acknowledged before the stop");
    TestNodes.stop(oldLeader);
    nodes.remove(oldLeader);
    long stoppedAt = System.nanoTime();
    long newLeader = awaitOneLeader(survivors, 3 * ELECTION_MS);
    assertNotEquals(leader, newLeader);
    long electedMs = (System.nanoTime() - stoppedAt) / 1_000_000;
    int before = acked.size();
    awaitTrue(() -> acked.size() >= before + 20, 10_000, "writes acknowledged after the failover (" + electedMs + " ms)");
    stop.set(true);
    awaitTrue(() -> writing.get() == 0, 15_000, "the last writes to finish"); // no ack may arrive after the check

    for (VkvNode n : survivors) {
      RangeResponse all = kv(n).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("load/"))
          .setRangeEnd(ByteString.copyFromUtf8("load0")).build()).toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      Map<String, String> found = new HashMap<>();
      all.getKvsList().forEach(kv -> found.put(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8()));
      for (var e : acked.entrySet()) {
        assertEquals(e.getValue(), found.get(e.getKey()), "acknowledged " + e.getKey() + " on " + n.config().name());
      }
    }
  }

  private void startCluster() throws Exception {
    int[] peerPorts = {freePort(), freePort(), freePort()};
    Map<String, List<URI>> cluster = new HashMap<>();
    for (int i = 0; i < 3; i++) cluster.put("m" + i, List.of(URI.create("http://127.0.0.1:" + peerPorts[i])));
    List<Future<VkvNode>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      URI client = URI.create("http://127.0.0.1:0");
      URI peer = cluster.get("m" + i).get(0);
      NodeConfig c = new NodeConfig("m" + i, dir.resolve("m" + i), List.of(client), List.of(client), List.of(peer),
          List.of(peer), cluster, "new", "three-member-test", HEARTBEAT_MS, ELECTION_MS,
          NodeConfig.DEFAULT_MAX_REQUEST_BYTES, NodeConfig.DEFAULT_MAX_TXN_OPS, NodeConfig.DEFAULT_QUOTA_BACKEND_BYTES,
          "info", 1, NodeConfig.DEFAULT_WATCH_PROGRESS_NOTIFY_INTERVAL_MS);
      starting.add(VkvNode.start(c));
    }
    for (Future<VkvNode> f : starting) nodes.add(f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
  }

  /** Polls Maintenance.Status until every given member names the same leader, one of them; returns its id. */
  private long awaitOneLeader(List<VkvNode> members, long withinMs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMs);
    List<Long> seen = List.of();
    while (System.nanoTime() < deadline) {
      seen = new ArrayList<>();
      for (VkvNode n : members) seen.add(leaderSeenBy(n));
      long first = seen.get(0);
      if (first != 0 && seen.stream().allMatch(l -> l == first)
          && members.stream().anyMatch(n -> n.memberId() == first)) {
        return first;
      }
      Thread.sleep(20); // polling with a deadline
    }
    throw new AssertionError("no single leader within " + withinMs + " ms; members see " + seen);
  }

  private long leaderSeenBy(VkvNode n) throws Exception {
    SocketAddress a = address(n);
    return MaintenanceGrpcClient.create(grpc, a).status(StatusRequest.getDefaultInstance())
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).getLeader();
  }

  private KVGrpcClient kv(VkvNode n) {
    return KVGrpcClient.create(grpc, address(n));
  }

  private static SocketAddress address(VkvNode n) {
    URI u = n.clientUrls().get(0);
    return SocketAddress.inetSocketAddress(u.getPort(), u.getHost());
  }

  private static void put(KVGrpcClient kv, String key, String value) throws Exception {
    kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).build())
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String get(KVGrpcClient kv, String key) throws Exception {
    RangeResponse r = kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build())
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return r.getKvsCount() == 0 ? null : r.getKvs(0).getValue().toStringUtf8();
  }

  /** Sequential puts; a failed one (leader changed, no leader) is retried under the next key. */
  private static void writeLoop(KVGrpcClient kv, String prefix, int seq, Map<String, String> acked, AtomicBoolean stop,
                                AtomicInteger writing) {
    if (stop.get()) return;
    writing.incrementAndGet();
    String key = prefix + seq;
    String value = "v" + seq;
    kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).build())
        .onComplete(ar -> {
          if (ar.succeeded()) acked.put(key, value);
          writing.decrementAndGet();
          writeLoop(kv, prefix, seq + 1, acked, stop, writing);
        });
  }

  private static void awaitTrue(BooleanSupplier condition, long withinMs, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMs);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(10); // polling with a deadline
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
