package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.etcdserverpb.LeaseGrantRequest;
import io.vkv.api.etcdserverpb.LeaseGrpcClient;
import io.vkv.node.testing.Wait;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real etcdctl 3.4 lease commands against one member; outputs as etcd 3.4 prints them. */
@Timeout(120)
class LeaseEtcdctlTest {
  private static final Pattern GRANTED = Pattern.compile("lease ([0-9a-f]{16}) granted with TTL\\((\\d+)s\\)\\n");

  @TempDir static Path dir;
  static VkvNode node;
  static Etcdctl ctl;

  @BeforeAll
  static void start() {
    node = TestNodes.startSingle(dir);
    ctl = new Etcdctl(node.endpoints());
  }

  @AfterAll
  static void stop() {
    TestNodes.stop(node);
  }

  static String grant(long ttl) {
    String out = ctl.run("lease", "grant", Long.toString(ttl)).assertOk().out();
    Matcher m = GRANTED.matcher(out);
    assertTrue(m.matches(), out);
    return m.group(1);
  }

  @Test
  void aTtlBelowTheMinimumIsRaisedAndTheLeaseIsListed() {
    String out = ctl.run("lease", "grant", "1").assertOk().out();
    Matcher m = GRANTED.matcher(out);
    assertTrue(m.matches(), out);
    assertEquals("2", m.group(2), "etcd's minimum TTL with the default heartbeat and election timeout");
    String list = ctl.run("lease", "list").assertOk().out();
    assertTrue(list.startsWith("found "), list);
    assertTrue(list.contains(m.group(1) + "\n"), list);
  }

  @Test
  void putWithLeaseTimeToLiveKeepAliveAndRevoke() {
    String id = grant(100);
    ctl.run("put", "--lease=" + id, "lk/a", "1").assertOk();
    ctl.run("put", "--lease=" + id, "lk/b", "2").assertOk();
    ctl.run("put", "--ignore-lease", "lk/b", "3").assertOk(); // keeps its lease
    String ttl = ctl.run("lease", "timetolive", "--keys", id).assertOk().out();
    assertTrue(ttl.matches("lease " + id + " granted with TTL\\(100s\\), remaining\\((9\\d|100)s\\), "
        + "attached keys\\(\\[lk/a lk/b\\]\\)\\n"), ttl);
    assertEquals("lease " + id + " keepalived with TTL(100)\n",
        ctl.run("lease", "keep-alive", "--once", id).assertOk().out());
    assertEquals("lease " + id + " revoked\n", ctl.run("lease", "revoke", id).assertOk().out());
    assertEquals("", ctl.run("get", "--prefix", "lk/").assertOk().out());
    assertEquals("lease " + id + " already expired\n", ctl.run("lease", "timetolive", id).assertOk().out());
    assertTrue(!ctl.run("lease", "list").assertOk().out().contains(id));
  }

  @Test
  void unknownLeasesGetEtcdsErrors() {
    Etcdctl.Result revoke = ctl.run("lease", "revoke", "1234");
    assertNotEquals(0, revoke.exitCode());
    assertTrue(revoke.err().contains("etcdserver: requested lease not found"), revoke.err());
    Etcdctl.Result put = ctl.run("put", "--lease=1234", "k", "v");
    assertNotEquals(0, put.exitCode());
    assertTrue(put.err().contains("etcdserver: requested lease not found"), put.err());
    Etcdctl.Result keepAlive = ctl.run("lease", "keep-alive", "--once", "1234");
    assertNotEquals(0, keepAlive.exitCode());
    assertTrue(keepAlive.err().contains("etcdserver: requested lease not found"), keepAlive.err());
    assertEquals("lease 0000000000001234 already expired\n", ctl.run("lease", "timetolive", "1234").assertOk().out());
    Etcdctl.Result tooLarge = ctl.run("lease", "grant", "9000000001");
    assertNotEquals(0, tooLarge.exitCode());
    assertTrue(tooLarge.err().contains("etcdserver: too large lease TTL"), tooLarge.err());
  }

  @Test
  void aClientChosenIdIsKeptAndCannotBeGrantedTwice() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      String[] hp = node.endpoints().split(",")[0].split(":");
      LeaseGrpcClient lease = LeaseGrpcClient.create(GrpcClient.client(vertx),
          SocketAddress.inetSocketAddress(Integer.parseInt(hp[1]), hp[0]));
      LeaseGrantRequest req = LeaseGrantRequest.newBuilder().setID(0x77).setTTL(30).build();
      assertEquals(0x77, lease.leaseGrant(req).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).getID());
      ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> lease.leaseGrant(req).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
      // etcd: FailedPrecondition "etcdserver: lease already exists" (this client exposes only the status)
      assertEquals(GrpcStatus.FAILED_PRECONDITION, ((InvalidStatusException) e.getCause()).actualStatus());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anExpiredLeaseTakesItsKeysWithIt() throws Exception {
    String id = grant(2);
    ctl.run("put", "--lease=" + id, "exp/a", "1").assertOk();
    long start = System.nanoTime();
    Wait.until(Duration.ofSeconds(15), "the key to go with its 2 s lease",
        () -> ctl.run("get", "exp/a").assertOk().out().isEmpty());
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1500), "expired before its TTL");
    assertEquals("lease " + id + " already expired\n", ctl.run("lease", "timetolive", id).assertOk().out());
  }

  @Test
  void keepAliveKeepsTheKeys() throws Exception {
    String id = grant(2);
    ctl.run("put", "--lease=" + id, "kept/a", "1").assertOk();
    ProcessBuilder pb = new ProcessBuilder(Etcdctl.binary(), "--endpoints=" + node.endpoints(), "lease", "keep-alive", id)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("ETCDCTL_API", "3");
    Process keepAlive = pb.start();
    try {
      // the key must stay for three TTLs
      Wait.throughout(Duration.ofSeconds(6), Duration.ofMillis(200), "the key is kept alive",
          () -> assertEquals("kept/a\n1\n", ctl.run("get", "kept/a").assertOk().out(), "the key is kept alive"));
    } finally {
      keepAlive.destroy();
      keepAlive.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
