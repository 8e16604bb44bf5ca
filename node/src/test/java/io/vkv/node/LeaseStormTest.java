package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.LeaseGrantRequest;
import io.vkv.api.etcdserverpb.LeaseGrpcClient;
import io.vkv.api.etcdserverpb.LeaseLeasesRequest;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.node.lease.LeaseSettings;
import io.vkv.node.testing.Wait;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 leases expire at the same instant while clients keep writing: the leader revokes them at the configured
 * rate, in batches, and the writes keep being acknowledged throughout. To make them expire together, the member
 * restarts right after granting them: its new term starts every lease's full TTL (plus one election timeout) at the
 * same moment, and the restart also shows that leases and their keys are persisted.
 */
@Timeout(120)
class LeaseStormTest {
  private static final Logger LOG = Logger.getLogger(LeaseStormTest.class.getName());
  static final int LEASES = 100_000;
  static final int WITH_KEYS = 1_000;
  /** Longer than granting takes, so that no lease expires before the restart. */
  static final long TTL = 20;
  /** Well above etcd's 1000/s so that the storm is over in seconds; the point is that writes still flow. */
  static final int REVOKES_PER_SECOND = 20_000;

  @TempDir Path dir;

  @Test
  void writesKeepFlowingWhileAHundredThousandLeasesExpire() throws Exception {
    NodeConfig config = NodeConfig.singleMember(dir, 0, 0).toBuilder()
        .lease(new LeaseSettings(LeaseSettings.DEFAULT.checkpointIntervalMs(), REVOKES_PER_SECOND)).build();
    VkvNode node = TestNodes.start(config);
    Vertx vertx = Vertx.vertx();
    try {
      // the lease list of 100,000 ids is larger than Vert.x's default message limit; etcd clients accept it
      GrpcClient grpc = GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(16 << 20));
      long grantStart = System.nanoTime();
      grantAll(LeaseGrpcClient.create(grpc, address(node)), KVGrpcClient.create(grpc, address(node)));
      long grantedAt = System.nanoTime();
      LOG.info(() -> String.format("granted %d leases in %d ms", LEASES, (grantedAt - grantStart) / 1_000_000));
      TestNodes.stop(node);
      node = TestNodes.start(config);
      LeaseGrpcClient lease = LeaseGrpcClient.create(grpc, address(node));
      KVGrpcClient kv = KVGrpcClient.create(grpc, address(node));
      assertEquals(LEASES, await(lease.leaseLeases(LeaseLeasesRequest.getDefaultInstance())).getLeasesCount());
      assertEquals(WITH_KEYS, await(kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("storm/"))
          .setRangeEnd(ByteString.copyFromUtf8("storm0")).setCountOnly(true).build())).getCount());

      // the write load: 8 sequential writers; every acknowledgement is timestamped
      ConcurrentLinkedQueue<Long> acks = new ConcurrentLinkedQueue<>();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger failures = new AtomicInteger();
      AtomicInteger writing = new AtomicInteger();
      for (int w = 0; w < 8; w++) writeLoop(kv, "load/" + w + "/", 0, acks, failures, stop, writing);

      int[] left = {LEASES};
      long[] stormStart = {0};
      Wait.until(Duration.ofSeconds(60), () -> "every lease revoked, " + left[0] + " left", () -> {
        left[0] = await(lease.leaseLeases(LeaseLeasesRequest.getDefaultInstance())).getLeasesCount();
        if (stormStart[0] == 0 && left[0] < LEASES) stormStart[0] = System.nanoTime();
        return left[0] == 0;
      });
      long stormEnd = System.nanoTime();
      stop.set(true);
      Wait.until(Duration.ofSeconds(15), "the writes to finish", () -> writing.get() == 0);
      long from = stormStart[0];
      long during = acks.stream().filter(t -> t >= from && t <= stormEnd).count();
      long maxGap = maxGapNanos(acks, from, stormEnd);
      double stormSeconds = (stormEnd - from) / 1e9;
      LOG.info(() -> String.format("storm: %.1f s, %d writes acknowledged during it (%.0f/s), longest gap %d ms",
          stormSeconds, during, during / stormSeconds, maxGap / 1_000_000));
      assertEquals(0, failures.get(), "writes failed during the storm");
      assertTrue(during >= 100, "only " + during + " writes during the storm");
      assertTrue(maxGap < TimeUnit.SECONDS.toNanos(2), "writes stalled for " + maxGap / 1_000_000 + " ms");
      assertEquals(0, await(kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("storm/"))
          .setRangeEnd(ByteString.copyFromUtf8("storm0")).setCountOnly(true).build())).getCount(),
          "the expired leases' keys are gone");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      TestNodes.stop(node);
    }
  }

  private static SocketAddress address(VkvNode node) {
    URI u = node.clientUrls().get(0);
    return SocketAddress.inetSocketAddress(u.getPort(), u.getHost());
  }

  /** Grants with 1024 calls in flight; the first WITH_KEYS leases get a key each. */
  private static void grantAll(LeaseGrpcClient lease, KVGrpcClient kv) throws Exception {
    CountDownLatch done = new CountDownLatch(LEASES);
    AtomicLong next = new AtomicLong();
    AtomicInteger errors = new AtomicInteger();
    for (int i = 0; i < 1024; i++) grantNext(lease, kv, next, done, errors);
    assertTrue(done.await(60, TimeUnit.SECONDS), "grants did not finish");
    assertEquals(0, errors.get(), "grants failed");
  }

  private static void grantNext(LeaseGrpcClient lease, KVGrpcClient kv, AtomicLong next, CountDownLatch done,
                                AtomicInteger errors) {
    long n = next.getAndIncrement();
    if (n >= LEASES) return;
    lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(TTL).build())
        .compose(g -> n < WITH_KEYS
            ? kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("storm/" + n))
                .setValue(ByteString.copyFromUtf8("v")).setLease(g.getID()).build()).mapEmpty()
            : Future.succeededFuture())
        .onComplete(ar -> {
          if (ar.failed()) errors.incrementAndGet();
          done.countDown();
          grantNext(lease, kv, next, done, errors);
        });
  }

  private static void writeLoop(KVGrpcClient kv, String prefix, int seq, ConcurrentLinkedQueue<Long> acks,
                                AtomicInteger failures, AtomicBoolean stop, AtomicInteger writing) {
    if (stop.get()) return;
    writing.incrementAndGet();
    kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(prefix + seq)).setValue(ByteString.copyFromUtf8("x")).build())
        .onComplete(ar -> {
          if (ar.succeeded()) acks.add(System.nanoTime());
          else failures.incrementAndGet();
          writing.decrementAndGet();
          writeLoop(kv, prefix, seq + 1, acks, failures, stop, writing);
        });
  }

  private static long maxGapNanos(ConcurrentLinkedQueue<Long> acks, long from, long to) {
    long prev = from;
    long max = 0;
    for (long t : acks.stream().filter(t -> t >= from && t <= to).sorted().toList()) {
      max = Math.max(max, t - prev);
      prev = t;
    }
    return Math.max(max, to - prev);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
