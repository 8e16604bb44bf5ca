package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.node.testing.Wait;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 a node process at a random moment under write load, restart it on the same data dir and check that
 * every acknowledged write is there. Runs {@code -Dvkv.killRuns} rounds (default 3) on one data dir.
 */
class KillRecoveryTest {
  static final int WRITERS = 16;
  @TempDir Path dir;

  @Test
  void everyAcknowledgedWriteSurvivesKill9() throws Exception {
    int runs = Integer.getInteger("vkv.killRuns", 3);
    long seed = Long.getLong("vkv.killSeed", System.nanoTime());
    Random random = new Random(seed);
    Path data = dir.resolve("data");
    Path log = dir.resolve("node.log");
    Vertx vertx = Vertx.vertx();
    try {
      for (int run = 0; run < runs; run++) {
        Map<String, String> acked = new ConcurrentHashMap<>();
        try (NodeProcess node = NodeProcess.start(data, log)) {
          KVGrpcClient kv = client(vertx, node);
          AtomicBoolean stop = new AtomicBoolean();
          for (int w = 0; w < WRITERS; w++) writeLoop(kv, "run" + run + "/w" + w + "/", 0, acked, stop);
          awaitFirstAck(acked, node);
          long killAfter = random.nextInt(1200);
          Thread.sleep(killAfter); // the random moment of the crash after writes are flowing, not a wait for a condition
          node.kill();
          stop.set(true);
        }
        assertTrue(acked.size() > 0, "no write was acknowledged before the kill (seed " + seed + ")");
        try (NodeProcess node = NodeProcess.start(data, log)) {
          KVGrpcClient kv = client(vertx, node);
          RangeResponse all = kv.range(RangeRequest.newBuilder()
                  .setKey(ByteString.copyFromUtf8("run" + run + "/"))
                  .setRangeEnd(ByteString.copyFromUtf8("run" + run + "0")).build())
              .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
          Map<String, String> found = new ConcurrentHashMap<>();
          all.getKvsList().forEach(kvp -> found.put(kvp.getKey().toStringUtf8(), kvp.getValue().toStringUtf8()));
          for (var e : acked.entrySet()) {
            assertEquals(e.getValue(), found.get(e.getKey()),
                "acknowledged write " + e.getKey() + " lost after kill -9 in run " + run + " (seed " + seed + ", log " + log + ")");
          }
          assertEquals(0, node.terminate(), "clean stop after recovery");
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** The crash must land while writes are being acknowledged, however slowly the node warms up. */
  private static void awaitFirstAck(Map<String, String> acked, NodeProcess node) {
    Wait.until(Duration.ofSeconds(30), "a write acknowledged; see " + node.log, () -> !acked.isEmpty());
  }

  private static KVGrpcClient client(Vertx vertx, NodeProcess node) {
    return KVGrpcClient.create(GrpcClient.client(vertx), SocketAddress.inetSocketAddress(node.clientPort, "127.0.0.1"));
  }

  /** One writer: sequential puts, each recorded once the server acknowledged it. */
  private static void writeLoop(KVGrpcClient kv, String prefix, int seq, Map<String, String> acked, AtomicBoolean stop) {
    if (stop.get()) return;
    String key = prefix + seq;
    String value = "v" + seq;
    Future<?> put = kv.put(PutRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).build());
    put.onComplete(ar -> {
      if (ar.succeeded()) {
        acked.put(key, value);
        writeLoop(kv, prefix, seq + 1, acked, stop);
      }
    });
  }
}
