package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vkv.api.etcdserverpb.CompactionRequest;
import io.vkv.api.etcdserverpb.DefragmentRequest;
import io.vkv.api.etcdserverpb.DeleteRangeRequest;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.MaintenanceGrpcClient;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.StatusRequest;
import io.vkv.api.etcdserverpb.StatusResponse;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.mvccpb.KeyValue;
import io.vkv.node.testing.Wait;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Defragment on a member under 16 concurrent writers: no request fails, nothing acknowledged is lost, the file shrinks. */
@Timeout(60)
class DefragmentUnderLoadTest {
  private static final int WRITERS = 16;
  @TempDir Path dir;
  private VkvNode node;
  private Vertx vertx;

  @AfterEach
  void stop() {
    if (vertx != null) vertx.close();
    TestNodes.stop(node);
  }

  @Test
  void defragmentUnderWriteLoadShrinksTheFileWithoutAFailedRequest() throws Exception {
    node = TestNodes.startSingle(dir.resolve("data"));
    vertx = Vertx.vertx();
    GrpcClient grpc = GrpcClient.client(vertx);
    URI u = node.clientUrls().get(0);
    SocketAddress address = SocketAddress.inetSocketAddress(u.getPort(), u.getHost());
    KVGrpcClient kv = KVGrpcClient.create(grpc, address);
    MaintenanceGrpcClient maintenance = MaintenanceGrpcClient.create(grpc, address);

    // ~12 MB of values, then deleted and compacted: free pages to reclaim
    String value = "x".repeat(4000);
    for (int t = 0; t < 30; t++) {
      TxnRequest.Builder txn = TxnRequest.newBuilder();
      for (int i = 0; i < 100; i++) {
        txn.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
            .setKey(bytes("fill/" + t + "/" + i)).setValue(bytes(value))));
      }
      TestCluster.await(kv.txn(txn.build()));
    }
    TestCluster.await(kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes("fill/")).setRangeEnd(bytes("fill0")).build()));
    long revision = TestCluster.await(kv.range(RangeRequest.newBuilder().setKey(bytes("x")).build())).getHeader().getRevision();
    TestCluster.await(kv.compact(CompactionRequest.newBuilder().setRevision(revision).build()));
    StatusResponse before = status(maintenance);
    assertTrue(before.getDbSize() > 10_000_000, "filled: " + before);

    WriteLoad load = new WriteLoad(vertx);
    for (int w = 0; w < WRITERS; w++) load.start(kv, 0);
    try {
      Wait.until(Duration.ofSeconds(20), "writes before the defragment", () -> load.ackedCount() >= 200);
      TestCluster.await(maintenance.defragment(DefragmentRequest.getDefaultInstance()));
      int acked = load.ackedCount();
      Wait.until(Duration.ofSeconds(20), "writes after the defragment", () -> load.ackedCount() >= acked + 200);
    } finally {
      load.stopAndAwait(20_000);
    }
    List<WriteLoad.Outcome> failed = load.outcomes.stream().filter(o -> o.error() != null).toList();
    assertEquals(List.of(), failed, "failed puts");
    load.assertAllIn(scan(kv, WriteLoad.PREFIX), "the defragmented member");

    StatusResponse after = status(maintenance);
    assertTrue(after.getDbSize() < before.getDbSize() / 4, before.getDbSize() + " -> " + after.getDbSize());
    assertTrue(after.getDbSizeInUse() <= after.getDbSize(), after.toString());
    assertEquals(0, TestCluster.await(kv.range(RangeRequest.newBuilder().setKey(bytes("fill/"))
        .setRangeEnd(bytes("fill0")).setCountOnly(true).build())).getCount());
  }

  private static StatusResponse status(MaintenanceGrpcClient m) throws Exception {
    return TestCluster.await(m.status(StatusRequest.getDefaultInstance()));
  }

  private static Map<String, String> scan(KVGrpcClient kv, String prefix) throws Exception {
    Map<String, String> out = new HashMap<>();
    var r = TestCluster.await(kv.range(RangeRequest.newBuilder().setKey(bytes(prefix))
        .setRangeEnd(bytes(prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1)))
        .build()));
    for (KeyValue k : r.getKvsList()) out.put(k.getKey().toStringUtf8(), k.getValue().toStringUtf8());
    return out;
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
