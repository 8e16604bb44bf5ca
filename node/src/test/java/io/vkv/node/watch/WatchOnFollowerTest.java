package io.vkv.node.watch;

import static io.vkv.node.watch.WatchTarget.bs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vkv.api.etcdserverpb.DeleteRangeRequest;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.MaintenanceGrpcClient;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.StatusRequest;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.etcdserverpb.WatchCreateRequest;
import io.vkv.api.etcdserverpb.WatchGrpcClient;
import io.vkv.api.mvccpb.Event;
import io.vkv.node.NodeConfig;
import io.vkv.node.VkvNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch on any member of a 3-member cluster sees the same events as on the leader: same revisions, keys, values,
 * types and versions, in the same order, whichever member the writes went through.
 */
@Timeout(120)
class WatchOnFollowerTest {
  private static final int OPS = 300;

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final GrpcClient grpc = GrpcClient.client(vertx);
  private final List<VkvNode> members = new ArrayList<>();

  @AfterEach
  void stop() {
    for (VkvNode n : members) WatchTarget.await(n.close());
    WatchTarget.await(vertx.close());
  }

  @Test
  void everyMemberStreamsTheSameHistory() {
    startCluster();
    awaitOneLeader();
    List<WatchTestClient> streams = new ArrayList<>();
    for (VkvNode n : members) {
      WatchTestClient w = WatchTestClient.open(WatchGrpcClient.create(grpc, address(n)),
          WatchTestClient.createRequest(WatchCreateRequest.newBuilder().setKey(bs("f/")).setRangeEnd(bs("f0")).setPrevKv(true)), false);
      assertTrue(w.next().getCreated());
      streams.add(w);
    }

    // puts, deletes of existing keys and multi-key txns, each through a member picked at random
    Random random = new Random(42);
    int expectedEvents = 0;
    List<String> live = new ArrayList<>();
    for (int i = 0; i < OPS; i++) {
      KVGrpcClient kv = KVGrpcClient.create(grpc, address(members.get(random.nextInt(members.size()))));
      int kind = random.nextInt(4);
      if (kind == 0 && !live.isEmpty()) {
        String key = live.remove(random.nextInt(live.size()));
        WatchTarget.await(kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs(key)).build()));
        expectedEvents++;
      } else if (kind == 1) {
        TxnRequest.Builder txn = TxnRequest.newBuilder();
        for (int k = 0; k < 3; k++) {
          String key = "f/txn" + i + "-" + k;
          txn.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs(key)).setValue(bs("t" + i))));
          live.add(key);
        }
        WatchTarget.await(kv.txn(txn.build()));
        expectedEvents += 3;
      } else {
        String key = "f/k" + random.nextInt(50);
        WatchTarget.await(kv.put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs("v" + i)).build()));
        if (!live.contains(key)) live.add(key);
        expectedEvents++;
      }
    }

    List<Event> onFirst = streams.get(0).events(0, expectedEvents, Duration.ofSeconds(30));
    for (int m = 1; m < streams.size(); m++) {
      assertEquals(onFirst, streams.get(m).events(0, expectedEvents, Duration.ofSeconds(30)),
          "member " + members.get(m).config().name() + " streamed a different history");
    }
  }

  private void startCluster() {
    Map<String, List<URI>> cluster = new HashMap<>();
    for (int i = 0; i < 3; i++) cluster.put("w" + i, List.of(URI.create("http://127.0.0.1:" + freePort())));
    List<Future<VkvNode>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      URI client = URI.create("http://127.0.0.1:0");
      List<URI> peer = cluster.get("w" + i);
      starting.add(VkvNode.start(new NodeConfig("w" + i, dir.resolve("w" + i), List.of(client), List.of(client), peer,
          peer, cluster, "new", "watch-follower-test", 50, 500, NodeConfig.DEFAULT_MAX_REQUEST_BYTES,
          NodeConfig.DEFAULT_MAX_TXN_OPS, NodeConfig.DEFAULT_QUOTA_BACKEND_BYTES, "info", 1,
          NodeConfig.DEFAULT_WATCH_PROGRESS_NOTIFY_INTERVAL_MS)));
    }
    for (Future<VkvNode> f : starting) members.add(WatchTarget.await(f));
  }

  private void awaitOneLeader() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      List<Long> seen = new ArrayList<>();
      for (VkvNode n : members) {
        seen.add(WatchTarget.await(MaintenanceGrpcClient.create(grpc, address(n)).status(StatusRequest.getDefaultInstance())).getLeader());
      }
      if (seen.get(0) != 0 && seen.stream().allMatch(l -> l.equals(seen.get(0)))) return;
      try {
        Thread.sleep(20); // polling with a deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no leader agreed on within 20 s");
  }

  private static SocketAddress address(VkvNode n) {
    URI u = n.clientUrls().get(0);
    return SocketAddress.inetSocketAddress(u.getPort(), u.getHost());
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
