package io.vkv.node.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.etcdserverpb.LeaseGrantRequest;
import io.vkv.api.etcdserverpb.LeaseGrpcClient;
import io.vkv.api.v3electionpb.CampaignRequest;
import io.vkv.api.v3electionpb.ElectionGrpcClient;
import io.vkv.api.v3electionpb.LeaderKey;
import io.vkv.api.v3electionpb.LeaderRequest;
import io.vkv.api.v3electionpb.LeaderResponse;
import io.vkv.api.v3electionpb.ProclaimRequest;
import io.vkv.api.v3electionpb.ResignRequest;
import io.vkv.api.v3lockpb.LockGrpcClient;
import io.vkv.api.v3lockpb.LockRequest;
import io.vkv.api.v3lockpb.LockResponse;
import io.vkv.api.v3lockpb.UnlockRequest;
import io.vkv.node.NodeConfig;
import io.vkv.node.VkvNode;
import io.vkv.node.testing.Wait;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The v3lock and v3election gRPC services (as the gRPC gateway and non-Go clients use them) on one member. */
@Timeout(90)
class LockElectionServiceTest {
  @TempDir static Path dir;
  static VkvNode node;
  static Vertx vertx;
  static LeaseGrpcClient lease;
  static LockGrpcClient lock;
  static ElectionGrpcClient election;

  @BeforeAll
  static void start() throws Exception {
    node = await(VkvNode.start(NodeConfig.singleMember(dir, 0, 0)));
    vertx = Vertx.vertx();
    URI u = node.clientUrls().get(0);
    SocketAddress a = SocketAddress.inetSocketAddress(u.getPort(), u.getHost());
    GrpcClient grpc = GrpcClient.client(vertx);
    lease = LeaseGrpcClient.create(grpc, a);
    lock = LockGrpcClient.create(grpc, a);
    election = ElectionGrpcClient.create(grpc, a);
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) await(vertx.close());
    if (node != null) await(node.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static long grant(long ttl) throws Exception {
    return await(lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).build())).getID();
  }

  static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static GrpcStatus failure(Future<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS));
    return ((InvalidStatusException) e.getCause()).actualStatus();
  }

  /** Asserts the call is still waiting after a while (it must not complete while the owner holds on). */
  static void stillWaiting(CompletableFuture<?> f) {
    assertThrows(TimeoutException.class, () -> f.get(1500, TimeUnit.MILLISECONDS));
  }

  @Test
  void theSecondLockerWaitsForTheUnlock() throws Exception {
    long a = grant(30);
    long b = grant(30);
    LockResponse first = await(lock.lock(LockRequest.newBuilder().setName(bs("svc-lock")).setLease(a).build()));
    assertEquals("svc-lock/" + Long.toHexString(a), first.getKey().toStringUtf8());
    CompletableFuture<LockResponse> second = lock.lock(LockRequest.newBuilder().setName(bs("svc-lock")).setLease(b).build())
        .toCompletionStage().toCompletableFuture();
    stillWaiting(second);
    await(lock.unlock(UnlockRequest.newBuilder().setKey(first.getKey()).build()));
    assertEquals("svc-lock/" + Long.toHexString(b), second.get(20, TimeUnit.SECONDS).getKey().toStringUtf8());
  }

  @Test
  void aLockWhoseLeaseExpiredWhileWaitingIsNotGranted() throws Exception {
    long owner = grant(60);
    long shortLived = grant(2);
    LockResponse held = await(lock.lock(LockRequest.newBuilder().setName(bs("jepsen")).setLease(owner).build()));
    Future<LockResponse> waiting = lock.lock(LockRequest.newBuilder().setName(bs("jepsen")).setLease(shortLived).build());
    CompletableFuture<LockResponse> w = waiting.toCompletionStage().toCompletableFuture();
    // the waiter's lease expires while it waits (its key goes with it)
    Wait.until(Duration.ofSeconds(15), "the short lease to expire", () -> await(lease.leaseTimeToLive(
        io.vkv.api.etcdserverpb.LeaseTimeToLiveRequest.newBuilder().setID(shortLived).build())).getTTL() == -1);
    assertFalse(w.isDone());
    await(lock.unlock(UnlockRequest.newBuilder().setKey(held.getKey()).build()));
    assertEquals(GrpcStatus.UNKNOWN, failure(waiting), "etcd: 'mutex: session is expired'");
  }

  @Test
  void campaignLeaderProclaimObserveResign() throws Exception {
    long a = grant(30);
    long b = grant(30);
    assertEquals(GrpcStatus.UNKNOWN, failure(election.leader(LeaderRequest.newBuilder().setName(bs("svc-el")).build())),
        "etcd: 'election: no leader'");
    LeaderKey alice = await(election.campaign(CampaignRequest.newBuilder().setName(bs("svc-el")).setLease(a)
        .setValue(bs("alice")).build())).getLeader();
    assertEquals("svc-el/" + Long.toHexString(a), alice.getKey().toStringUtf8());
    assertEquals(a, alice.getLease());

    BlockingQueue<LeaderResponse> observed = new LinkedBlockingQueue<>();
    // the handler is set in the callback, on the event loop, before any message can be delivered
    java.util.concurrent.atomic.AtomicReference<Throwable> ended = new java.util.concurrent.atomic.AtomicReference<>();
    await(election.observe(LeaderRequest.newBuilder().setName(bs("svc-el")).build())
        .onSuccess(s -> s.handler(observed::add).exceptionHandler(ended::set)));
    assertEquals("alice", next(observed, ended).getKv().getValue().toStringUtf8());

    await(election.proclaim(ProclaimRequest.newBuilder().setLeader(alice).setValue(bs("alice-2")).build()));
    assertEquals("alice-2", await(election.leader(LeaderRequest.newBuilder().setName(bs("svc-el")).build()))
        .getKv().getValue().toStringUtf8());
    assertEquals("alice-2", next(observed, ended).getKv().getValue().toStringUtf8());

    CompletableFuture<LeaderKey> bob = election.campaign(CampaignRequest.newBuilder().setName(bs("svc-el")).setLease(b)
        .setValue(bs("bob")).build()).map(r -> r.getLeader()).toCompletionStage().toCompletableFuture();
    stillWaiting(bob);
    await(election.resign(ResignRequest.newBuilder().setLeader(alice).build()));
    assertEquals("svc-el/" + Long.toHexString(b), bob.get(20, TimeUnit.SECONDS).getKey().toStringUtf8());
    assertEquals("bob", next(observed, ended).getKv().getValue().toStringUtf8());
    assertEquals(GrpcStatus.UNKNOWN, failure(election.proclaim(ProclaimRequest.newBuilder().setLeader(alice)
        .setValue(bs("stale")).build())), "etcd: 'election: not leader'");
  }

  /** The next observed leader; a stream that ended or stayed silent for 10 s fails the test with what it knows. */
  private static LeaderResponse next(BlockingQueue<LeaderResponse> observed,
                                     java.util.concurrent.atomic.AtomicReference<Throwable> ended) throws InterruptedException {
    LeaderResponse r = observed.poll(10, TimeUnit.SECONDS);
    if (r == null) throw new AssertionError("no leader observed within 10 s; the stream ended with: " + ended.get());
    return r;
  }
}
