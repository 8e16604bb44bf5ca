package io.vkv.node.watch;

import static io.vkv.node.watch.WatchTarget.bs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.grpc.client.GrpcClient;
import io.vkv.api.etcdserverpb.DeleteRangeRequest;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.etcdserverpb.WatchCreateRequest;
import io.vkv.api.etcdserverpb.WatchGrpcClient;
import io.vkv.api.mvccpb.Event;
import io.vkv.node.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
  private TestCluster cluster;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  @Test
  void everyMemberStreamsTheSameHistory() throws Exception {
    cluster = TestCluster.start(dir);
    cluster.awaitOneLeader(cluster.running(), 40 * TestCluster.ELECTION_MS);
    GrpcClient grpc = cluster.grpc;
    List<WatchTestClient> streams = new ArrayList<>();
    for (int m = 0; m < TestCluster.SIZE; m++) {
      WatchTestClient w = WatchTestClient.open(WatchGrpcClient.create(grpc, cluster.address(m)),
          WatchTestClient.createRequest(WatchCreateRequest.newBuilder().setKey(bs("f/")).setRangeEnd(bs("f0")).setPrevKv(true)), false);
      assertTrue(w.next().getCreated());
      streams.add(w);
    }

    // puts, deletes of existing keys and multi-key txns, each through a member picked at random
    Random random = new Random(42);
    int expectedEvents = 0;
    List<String> live = new ArrayList<>();
    for (int i = 0; i < OPS; i++) {
      KVGrpcClient kv = KVGrpcClient.create(grpc, cluster.address(random.nextInt(TestCluster.SIZE)));
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
          "member " + cluster.member(m).config().name() + " streamed a different history");
    }
  }
}
