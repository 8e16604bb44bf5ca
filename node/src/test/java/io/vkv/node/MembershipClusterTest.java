package io.vkv.node;

import static io.vkv.node.testing.Ports.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.etcdserverpb.ClusterGrpcClient;
import io.vkv.api.etcdserverpb.HashKVRequest;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.MaintenanceGrpcClient;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.etcdserverpb.MemberAddRequest;
import io.vkv.api.etcdserverpb.MemberListRequest;
import io.vkv.api.etcdserverpb.MemberPromoteRequest;
import io.vkv.api.etcdserverpb.MemberRemoveRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.StatusRequest;
import io.vkv.node.testing.Wait;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster that grows and shrinks under write load, through the Cluster API alone: one member, then learners added,
 * started with --initial-cluster-state existing and promoted once in sync, up to five members; then two removed (one
 * of them the leader) and one replaced by add-then-remove; a joined member restarts on its recorded membership.
 * Sixteen writers put unique keys throughout, to random voting members. No write may fail other than with a
 * retriable error, and at the end every member holds every acknowledged write and the same store (HashKV at one
 * revision).
 */
@Timeout(240)
class MembershipClusterTest {
  private static final long HEARTBEAT_MS = 50;
  private static final long ELECTION_MS = 500;
  private static final Duration CHANGE_LIMIT = Duration.ofSeconds(40);

  @TempDir Path dir;
  private Vertx vertx;
  private GrpcClient grpc;
  /** The running members by name, in the order they were started. */
  private final Map<String, VkvNode> running = new ConcurrentHashMap<>();
  private final Map<String, URI> peerUrls = new LinkedHashMap<>();
  private final Map<String, Integer> peerPorts = new LinkedHashMap<>();
  /** Members a write may go to: started voters that are not being removed. */
  private final Set<String> writable = ConcurrentHashMap.newKeySet();
  private WriteLoad load;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    grpc = GrpcClient.client(vertx, new io.vertx.grpc.client.GrpcClientOptions().setMaxMessageSize(64 * 1024 * 1024));
  }

  @AfterEach
  void tearDown() {
    if (load != null) load.stopAndAwait(30_000);
    running.values().forEach(TestNodes::stop);
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void growsToFiveShrinksAndReplacesUnderLoadWithoutLosingAcknowledgedWrites() throws Exception {
    start("m0", "new");
    writable.add("m0");
    load = new WriteLoad(vertx);
    for (int i = 0; i < 16; i++) load.start(this::anyWritableKv, -1);

    for (String name : List.of("m1", "m2", "m3", "m4")) grow(name);
    assertEquals(5, voters("m0").size(), "five voters");

    String leader = leaderName();
    String follower = running.keySet().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    remove(follower);
    remove(leader);
    assertEquals(3, voters(anyRunning()).size(), "three voters after two removals");

    // replace one: the new member first, then the one it replaces, never below a quorum
    String replaced = running.keySet().stream().sorted().findFirst().orElseThrow();
    grow("m5");
    remove(replaced);
    assertEquals(3, voters(anyRunning()).size(), "three voters after the replacement");

    // a member that joined at run time restarts on the membership its store recorded
    writable.remove("m5");
    TestNodes.stop(running.remove("m5"));
    start("m5", "existing");
    writable.add("m5");
    awaitWrite("m5");

    load.stopAndAwait(30_000);
    List<WriteLoad.Outcome> failures = load.outcomes.stream().filter(o -> o.error() != null).toList();
    List<WriteLoad.Outcome> hard = failures.stream().filter(o -> !retriable(o.error())).toList();
    assertTrue(hard.isEmpty(), "writes failed with a non-retriable error: "
        + hard.stream().limit(5).map(o -> o.key() + ": " + o.error()).toList());
    assertTrue(load.ackedCount() > 100, "the writers made progress: " + load.ackedCount() + " acknowledged");

    // every member: every acknowledged write, and the same store at one revision
    long revision = 0;
    for (String name : running.keySet()) {
      load.assertAllIn(scan(name), name);
      revision = Math.max(revision, await(kv(name).range(RangeRequest.newBuilder().setKey(key("load/")).build()))
          .getHeader().getRevision());
    }
    Map<String, Integer> hashes = new LinkedHashMap<>();
    for (String name : running.keySet()) {
      long rev = revision;
      hashes.put(name, Wait.until(Duration.ofSeconds(10), "member " + name + " at revision " + rev,
          () -> await(maintenance(name).hashKV(HashKVRequest.newBuilder().setRevision(rev).build())).getHash(),
          h -> true));
    }
    assertEquals(1, Set.copyOf(hashes.values()).size(), "HashKV at revision " + revision + ": " + hashes);
  }

  // ---- membership steps ------------------------------------------------------------------------------------------

  /** Adds {@code name} as a learner, starts it joining the cluster, promotes it once it is in sync. */
  private void grow(String name) throws Exception {
    int port = freePort();
    URI url = URI.create("http://127.0.0.1:" + port);
    String via = leaderOrAny();
    Member added = retrying("add " + name, () -> await(cluster(via).memberAdd(MemberAddRequest.newBuilder()
        .addPeerURLs(url.toString()).setIsLearner(true).build())).getMember());
    assertTrue(added.getIsLearner(), "added as a learner");
    peerPorts.put(name, port);
    peerUrls.put(name, url);
    start(name, "existing");
    retrying("promote " + name, () -> await(cluster(leaderOrAny()).memberPromote(MemberPromoteRequest.newBuilder()
        .setID(added.getID()).build())));
    Wait.until(CHANGE_LIMIT, name + " listed as a voter by every member", () -> running.keySet().stream()
        .allMatch(n -> voters(n).contains(added.getID())));
    writable.add(name);
  }

  /** Removes {@code name} (the leader hands over first); it stops on its own once it applied its removal. */
  private void remove(String name) throws Exception {
    long id = running.get(name).memberId();
    writable.remove(name);
    String via = running.keySet().stream().filter(n -> !n.equals(name)).findFirst().orElseThrow();
    retrying("remove " + name, () -> await(cluster(via).memberRemove(MemberRemoveRequest.newBuilder().setID(id).build())));
    Wait.until(CHANGE_LIMIT, name + " gone from every member's list and stopped", () -> !running.containsKey(name)
        && running.keySet().stream().allMatch(n -> !ids(n).contains(id)));
  }

  private void start(String name, String state) {
    if (!peerPorts.containsKey(name)) {
      int port = freePort();
      peerPorts.put(name, port);
      peerUrls.put(name, URI.create("http://127.0.0.1:" + port));
    }
    String cluster = state.equals("new") ? name + "=" + peerUrls.get(name)
        : running.keySet().stream().map(n -> n + "=" + peerUrls.get(n)).collect(Collectors.joining(","))
            + "," + name + "=" + peerUrls.get(name);
    URI client = URI.create("http://127.0.0.1:0");
    NodeConfig config = NodeConfig.builder().name(name).dataDir(dir.resolve(name)).listenClientUrls(List.of(client))
        .advertiseClientUrls(List.of(client))
        .listenPeerUrls(List.of(URI.create("http://127.0.0.1:" + peerPorts.get(name))))
        .initialAdvertisePeerUrls(List.of(peerUrls.get(name))).initialCluster(NodeCommand.parseCluster(cluster))
        .initialClusterState(state).initialClusterToken("membership-test").heartbeatIntervalMs(HEARTBEAT_MS)
        .electionTimeoutMs(ELECTION_MS).logLevel("info").serverInstances(1).build();
    VkvNode node = TestNodes.start(config);
    node.onRemoved(() -> {
      if (running.remove(name, node)) TestNodes.stop(node);
    });
    running.put(name, node);
  }

  /**
   * Runs a membership call until it succeeds. UNAVAILABLE ("unhealthy cluster", "no leader", another change in
   * progress) and FAILED_PRECONDITION (a learner not yet in sync, members not yet started) are refusals an operator
   * retries after a while; any other failure fails the test.
   */
  private <T> T retrying(String what, java.util.concurrent.Callable<T> call) {
    return Wait.until(CHANGE_LIMIT, what, () -> {
      try {
        return call.call();
      } catch (Exception e) {
        GrpcStatus status = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
          if (t instanceof InvalidStatusException s) status = s.actualStatus();
        }
        if (status != GrpcStatus.UNAVAILABLE && status != GrpcStatus.FAILED_PRECONDITION) {
          throw new AssertionError(what + " failed", e);
        }
        throw e;
      }
    }, r -> true);
  }

  private void awaitWrite(String name) {
    Wait.until(CHANGE_LIMIT, "a write through " + name, () -> {
      try {
        await(kv(name).put(io.vkv.api.etcdserverpb.PutRequest.newBuilder().setKey(key("probe")).setValue(key(name))
            .build()));
        return true;
      } catch (Exception e) {
        return false;
      }
    });
  }

  // ---- reading the cluster -----------------------------------------------------------------------------------------

  private List<Long> ids(String via) {
    try {
      return await(cluster(via).memberList(MemberListRequest.getDefaultInstance())).getMembersList().stream()
          .map(Member::getID).toList();
    } catch (Exception e) {
      return List.of(-1L); // not answering: not done
    }
  }

  private List<Long> voters(String via) {
    try {
      return await(cluster(via).memberList(MemberListRequest.getDefaultInstance())).getMembersList().stream()
          .filter(m -> !m.getIsLearner()).map(Member::getID).toList();
    } catch (Exception e) {
      return List.of();
    }
  }

  private String leaderName() throws Exception {
    return Wait.until(CHANGE_LIMIT, "a leader", () -> {
      long leader = await(maintenance(anyRunning()).status(StatusRequest.getDefaultInstance())).getLeader();
      return running.entrySet().stream().filter(e -> e.getValue().memberId() == leader).map(Map.Entry::getKey)
          .findFirst().orElse(null);
    }, n -> n != null);
  }

  private String leaderOrAny() {
    try {
      return leaderName();
    } catch (Exception | AssertionError e) {
      return anyRunning();
    }
  }

  private String anyRunning() {
    return running.keySet().iterator().next();
  }

  private Map<String, String> scan(String name) throws Exception {
    var r = await(kv(name).range(RangeRequest.newBuilder().setKey(key("load/")).setRangeEnd(key("load0")).build()));
    Map<String, String> out = new java.util.HashMap<>();
    r.getKvsList().forEach(kv -> out.put(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8()));
    return out;
  }

  /** A KV client on a random writable member (a write may land on any voter; followers hand it on). */
  private KVGrpcClient anyWritableKv() {
    List<String> names = new ArrayList<>(writable);
    names.retainAll(running.keySet());
    String name = names.isEmpty() ? anyRunning() : names.get(ThreadLocalRandom.current().nextInt(names.size()));
    return kv(name);
  }

  /** Transport failures and UNAVAILABLE are what a client retries; anything else is a real failure. */
  private static boolean retriable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InvalidStatusException s) return s.actualStatus() == GrpcStatus.UNAVAILABLE;
    }
    return true; // no gRPC status: the connection failed (a removed member stopping), which a client retries
  }

  private KVGrpcClient kv(String name) {
    return KVGrpcClient.create(grpc, address(name));
  }

  private ClusterGrpcClient cluster(String name) {
    return ClusterGrpcClient.create(grpc, address(name));
  }

  private MaintenanceGrpcClient maintenance(String name) {
    return MaintenanceGrpcClient.create(grpc, address(name));
  }

  private SocketAddress address(String name) {
    VkvNode node = running.get(name);
    if (node == null) throw new IllegalStateException(name + " is not running");
    URI u = node.clientUrls().get(0);
    return SocketAddress.inetSocketAddress(u.getPort(), u.getHost());
  }

  private static com.google.protobuf.ByteString key(String s) {
    return com.google.protobuf.ByteString.copyFromUtf8(s);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
