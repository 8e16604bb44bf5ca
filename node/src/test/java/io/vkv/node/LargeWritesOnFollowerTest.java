package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.PutResponse;
import io.vkv.api.etcdserverpb.RangeRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of puts near the request size limit, all sent to one follower at once. Each is forwarded to the leader and
 * replicated back as entries larger than a socket's usual write buffer, so the peer connections are backed up for
 * the whole burst; every put must still land (etcd queues up to 4,096 messages per peer stream, whatever their size).
 * Before, frames past a peer socket's 64 KiB watermark were dropped (forwarded proposals for good) and heartbeats
 * waited behind the entries until followers started elections. The transport's own tests pin the two rules down:
 * {@code PeerSenderTest}, {@code PeerTransportTest}.
 */
@Timeout(120)
class LargeWritesOnFollowerTest {
  static final int PUTS = 40; // ~56 MB; the members share this JVM and two cores with the proxies
  static final int VALUE_BYTES = 1_400_000; // under the default --max-request-bytes (1.5 MiB)

  @TempDir Path dir;

  @Test
  void everyLargePutSentToAFollowerAtOnceLands() throws Exception {
    try (TestCluster cluster = TestCluster.start(dir)) {
      int leader = cluster.awaitOneLeader(cluster.running(), 10_000);
      int follower = cluster.others(leader).get(0);
      KVGrpcClient kv = cluster.kv(follower);

      List<Future<PutResponse>> puts = new ArrayList<>();
      for (int i = 0; i < PUTS; i++) {
        byte[] value = new byte[VALUE_BYTES];
        java.util.Arrays.fill(value, (byte) i);
        puts.add(kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(String.format("big/%02d", i)))
            .setValue(ByteString.copyFrom(value)).build()));
      }
      List<String> failed = new ArrayList<>();
      for (int i = 0; i < PUTS; i++) {
        try {
          puts.get(i).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          failed.add("big/" + i + ": " + e.getCause());
        }
      }
      assertTrue(failed.isEmpty(), failed.size() + " of " + PUTS + " puts failed: " + failed);

      for (int i : cluster.running()) {
        var r = TestCluster.await(cluster.kv(i).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("big/"))
            .setRangeEnd(ByteString.copyFromUtf8("big0")).setKeysOnly(true).build()));
        assertEquals(PUTS, r.getKvsCount(), "keys on member " + i);
      }
    }
  }
}
