package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.google.protobuf.ByteString;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.node.testing.Wait;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three in-process members on loopback: election, follower writes, linearizable reads, leader failover. */
class ThreeMemberClusterTest {
  @TempDir Path dir;
  TestCluster cluster;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  @Test
  void electsForwardsReadsAndFailsOver() throws Exception {
    cluster = TestCluster.start(dir);
    int leader = cluster.awaitOneLeader(cluster.running(), TestCluster.ELECTION_MS * 10);

    // etcdctl sees exactly one leader among the three
    String status = new Etcdctl(cluster.endpoints()).run("endpoint", "status", "-w", "json").assertOk().out();
    JsonArray endpoints = new JsonArray(status);
    assertEquals(3, endpoints.size(), status);
    long leaders = endpoints.stream().map(o -> (JsonObject) o)
        .filter(o -> o.getJsonObject("Status").getJsonObject("header").getLong("member_id")
            .equals(o.getJsonObject("Status").getLong("leader"))).count();
    assertEquals(1, leaders, status);

    // a put on a follower is forwarded to the leader and readable (linearizable) on every member
    List<Integer> survivors = cluster.others(leader);
    cluster.put(survivors.get(0), "from-follower", "1");
    for (int m : cluster.running()) assertEquals("1", cluster.get(m, "from-follower"), "on member " + TestCluster.name(m));

    // a small write load through the followers while the leader stops
    Map<String, String> acked = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger writing = new AtomicInteger();
    for (int w = 0; w < 4; w++) writeLoop(cluster.kv(survivors.get(w % 2)), "load/w" + w + "/", 0, acked, stop, writing);
    Wait.until(Duration.ofSeconds(10), "writes acknowledged before the stop", () -> acked.size() >= 20);
    long oldLeaderId = cluster.id(leader);
    cluster.stop(leader);
    long stoppedAt = System.nanoTime();
    int newLeader = cluster.awaitOneLeader(survivors, 3 * TestCluster.ELECTION_MS);
    assertNotEquals(oldLeaderId, cluster.id(newLeader));
    long electedMs = (System.nanoTime() - stoppedAt) / 1_000_000;
    int before = acked.size();
    Wait.until(Duration.ofSeconds(10), "writes acknowledged after the failover (" + electedMs + " ms)",
        () -> acked.size() >= before + 20);
    stop.set(true);
    // no ack may arrive after the check
    Wait.until(Duration.ofSeconds(15), "the last writes to finish", () -> writing.get() == 0);

    for (int m : survivors) {
      Map<String, String> found = cluster.scan(m, "load/", false);
      for (var e : acked.entrySet()) {
        assertEquals(e.getValue(), found.get(e.getKey()), "acknowledged " + e.getKey() + " on " + TestCluster.name(m));
      }
    }
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
}
