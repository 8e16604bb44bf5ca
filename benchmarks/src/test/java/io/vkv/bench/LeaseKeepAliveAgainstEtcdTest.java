package io.vkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClient;
import io.vkv.api.etcdserverpb.LeaseGrpcClient;
import io.vkv.api.etcdserverpb.LeaseLeasesRequest;
import io.vkv.node.testing.RealEtcd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Short real lease-keepalive runs against a real etcd (vkv's Lease service is not there yet). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeaseKeepAliveAgainstEtcdTest {
  private static RealEtcd etcd;

  @BeforeAll
  static void start() throws Exception {
    etcd = RealEtcd.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (etcd != null) etcd.close();
  }

  @Test
  void everyRenewalIsCountedAndTheLeasesAreRevoked(@TempDir Path tmp) throws Exception {
    Path hdr = tmp.resolve("lease.hdr");
    Path png = tmp.resolve("lease.png");
    BenchOutput.Outcome o = BenchOutput.run("--endpoints", etcd.endpoint(), "lease-keepalive", "--clients", "8",
        "--conns", "2", "--total", "500", "--hdr-out", hdr.toString(), "--plot", png.toString());
    assertEquals(0, o.code(), o.err());
    Matcher m = BenchOutput.json(o);
    assertEquals("lease-keepalive", m.group(1));
    assertEquals("500", m.group(2), "exactly --total renewals");
    assertEquals("0", m.group(3));
    assertTrue(Double.parseDouble(m.group(5)) > 0, "latencies recorded");
    assertTrue(o.err().contains("throughput"), "human summary on stderr: " + o.err());
    assertTrue(Files.readString(hdr).matches("(?s).*Total count += +500].*"), "histogram of every renewal");
    BenchOutput.assertChart(png);
    LatencyCurve curve = LatencyCurve.read(hdr, "lease");
    assertTrue(curve.size() > 5, "percentile points read back");

    assertEquals(0, leaseCount(), "the run revoked its 8 leases at the end");
  }

  @Test
  void durationAndRateBoundTheRun() {
    BenchOutput.Outcome o = BenchOutput.run("--endpoints", etcd.endpoint(), "lease-keepalive", "--clients", "2",
        "--duration", "1s", "--rate", "200");
    assertEquals(0, o.code(), o.err());
    long ops = Long.parseLong(BenchOutput.json(o).group(2));
    assertTrue(ops >= 100 && ops <= 210, "about 200 renewals at 200/s for 1 s, got " + ops);
  }

  @Test
  void anUnreachableServerIsReportedAsErrorsNotACrash() throws IOException {
    int closed = io.vkv.node.testing.Ports.freePort();
    BenchOutput.Outcome o = BenchOutput.run("--endpoints", "127.0.0.1:" + closed, "lease-keepalive", "--clients",
        "3", "--total", "100", "--timeout", "5s");
    assertEquals(1, o.code(), "exit 1 when every request failed: " + o.err());
    Matcher m = BenchOutput.json(o);
    assertEquals("0", m.group(2));
    assertEquals("3", m.group(3), "one error per client that got no lease");
    assertEquals("0.00", m.group(6), "no client cpu reported when nothing ran");
    assertTrue(o.err().contains("error:"), "the cause is in the summary: " + o.err());
  }

  /** Leases etcd holds, through the LeaseLeases RPC. */
  private static int leaseCount() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      LeaseGrpcClient lease = LeaseGrpcClient.create(GrpcClient.client(vertx), RunSupport.address(etcd.endpoint()));
      return lease.leaseLeases(LeaseLeasesRequest.getDefaultInstance())
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).getLeasesCount();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
