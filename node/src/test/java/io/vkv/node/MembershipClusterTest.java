package io.vkv.node;

import static io.vkv.node.GrowingCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.etcdserverpb.HashKVRequest;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.etcdserverpb.MemberRemoveRequest;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.node.membership.MembershipSettings;
import io.vkv.node.testing.Wait;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime membership on in-process members ({@link GrowingCluster}): a cluster that grows and shrinks under write
 * load; a removed member that was down comes back and is refused; learners promoted automatically when asked for.
 */
@Timeout(240)
class MembershipClusterTest {
  @TempDir Path dir;
  private GrowingCluster c;
  private WriteLoad load;
  /** Members a write may go to: started voters that are not being removed. */
  private final Set<String> writable = ConcurrentHashMap.newKeySet();

  @AfterEach
  void tearDown() {
    if (load != null) load.stopAndAwait(30_000);
    if (c != null) c.close();
  }

  /**
   * One member, then learners added, started with --initial-cluster-state existing and promoted once in sync, up to
   * five; then two removed (one of them the leader) and one replaced by add-then-remove; a joined member restarts on
   * its recorded membership. Sixteen writers put unique keys throughout, to random voters. No write fails other than
   * with a retriable error, and at the end every member holds every acknowledged write and the same store (HashKV at
   * one revision).
   */
  @Test
  void growsToFiveShrinksAndReplacesUnderLoadWithoutLosingAcknowledgedWrites() throws Exception {
    c = new GrowingCluster(dir, MembershipSettings.DEFAULT);
    c.start("m0", "new");
    writable.add("m0");
    load = new WriteLoad(c.vertx);
    for (int i = 0; i < 16; i++) load.start(this::anyWritableKv, -1);

    for (String name : List.of("m1", "m2", "m3", "m4")) {
      c.grow(name);
      writable.add(name);
    }
    assertEquals(5, c.voters("m0").size(), "five voters");

    String leader = c.leaderName();
    String follower = c.running.keySet().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    shrink(follower);
    shrink(leader);
    assertEquals(3, c.voters(c.anyRunning()).size(), "three voters after two removals");

    // replace one: the new member first, then the one it replaces, never below a quorum
    String replaced = c.running.keySet().stream().sorted().findFirst().orElseThrow();
    c.grow("m5");
    writable.add("m5");
    shrink(replaced);
    assertEquals(3, c.voters(c.anyRunning()).size(), "three voters after the replacement");

    // a member that joined at run time restarts on the membership its store recorded
    writable.remove("m5");
    c.stop("m5");
    c.start("m5", "existing");
    writable.add("m5");
    Wait.until(GrowingCluster.CHANGE_LIMIT, "a write through the restarted m5", () -> {
      try {
        await(c.kv("m5").put(PutRequest.newBuilder().setKey(bytes("probe")).setValue(bytes("m5")).build()));
        return true;
      } catch (Exception e) {
        return false;
      }
    });

    load.stopAndAwait(30_000);
    List<WriteLoad.Outcome> hard = load.outcomes.stream()
        .filter(o -> o.error() != null && !retriable(o.error())).toList();
    assertTrue(hard.isEmpty(), "writes failed with a non-retriable error: "
        + hard.stream().limit(5).map(o -> o.key() + ": " + o.error()).toList());
    assertTrue(load.ackedCount() > 100, "the writers made progress: " + load.ackedCount() + " acknowledged");

    long revision = 0;
    for (String name : c.running.keySet()) {
      load.assertAllIn(scan(name), name);
      revision = Math.max(revision, await(c.kv(name).range(RangeRequest.newBuilder().setKey(bytes("probe")).build()))
          .getHeader().getRevision());
    }
    Map<String, Integer> hashes = new LinkedHashMap<>();
    for (String name : c.running.keySet()) {
      long rev = revision;
      hashes.put(name, Wait.until(Duration.ofSeconds(10), "member " + name + " at revision " + rev,
          () -> await(c.maintenance(name).hashKV(HashKVRequest.newBuilder().setRevision(rev).build())).getHash(),
          h -> true));
    }
    assertEquals(1, Set.copyOf(hashes.values()).size(), "HashKV at revision " + revision + ": " + hashes);
  }

  /**
   * A member removed while it was down never serves again: started on its old data dir it hears from the others
   * that it was removed and stops, and a member that reads its own removal in its store refuses to start at all.
   */
  @Test
  void aRemovedMemberThatComesBackIsRefusedAndStops() throws Exception {
    c = new GrowingCluster(dir, MembershipSettings.DEFAULT);
    c.start("m0", "new");
    c.grow("m1");
    c.grow("m2");
    long m2 = c.running.get("m2").memberId();
    c.stop("m2");
    // a member that is down may be removed at once (strict reconfig check: it is not part of the active quorum)
    c.retrying("remove the stopped m2", () -> await(c.cluster(c.leaderOrAny()).memberRemove(
        MemberRemoveRequest.newBuilder().setID(m2).build())));
    assertTrue(!c.ids("m0").contains(m2), "m2 no longer listed");

    VkvNode back = c.start("m2", "existing");
    Wait.until(GrowingCluster.CHANGE_LIMIT, "the removed m2 to stop after the others refused it",
        () -> !c.running.containsValue(back));
    // its id is never reused: the members it left keep working and keep it out
    await(c.kv("m0").put(PutRequest.newBuilder().setKey(bytes("after")).setValue(bytes("x")).build()));
    assertEquals(List.of(), c.ids("m1").stream().filter(id -> id == m2).toList());
  }

  /**
   * With --experimental-auto-promote-learners the leader promotes a learner once it is in sync, without a
   * MemberPromote call; /metrics shows etcd_server_is_learner on the member and the leader's promotion count.
   */
  @Test
  void learnersArePromotedAutomaticallyWhenAskedFor() throws Exception {
    c = new GrowingCluster(dir, new MembershipSettings(true, true, 1));
    c.start("m0", "new");
    Member learner = c.addLearner("m1");
    c.awaitVoter("m1", learner.getID());
    assertEquals(0, metric("m1", "etcd_server_is_learner"), "m1 is a voter now");
    assertEquals(0, metric("m0", "etcd_server_is_learner"));
    assertEquals(1, metric("m0", "etcd_server_learner_promote_successes"), "the leader promoted one learner");
  }

  /** Without the flag a learner stays a learner until promoted, and says so in /metrics. */
  @Test
  void learnersStayLearnersWithoutTheFlag() throws Exception {
    c = new GrowingCluster(dir, MembershipSettings.DEFAULT);
    c.start("m0", "new");
    Member learner = c.addLearner("m1");
    Wait.until(GrowingCluster.CHANGE_LIMIT, "m1 to report itself a learner", () -> metric("m1",
        "etcd_server_is_learner") == 1);
    // in sync, and still a learner: nothing promotes it on its own
    Wait.until(Duration.ofSeconds(10), "m1 to catch up with the leader", () -> await(c.kv("m1").range(
        RangeRequest.newBuilder().setKey(bytes("x")).setSerializable(true).build())).getHeader().getRevision()
        == await(c.kv("m0").range(RangeRequest.newBuilder().setKey(bytes("x")).build())).getHeader().getRevision());
    assertEquals(List.of(c.running.get("m0").memberId()), c.voters("m0"), "m1 is not a voter");
    assertTrue(c.ids("m0").contains(learner.getID()));
    // not ready (etcd 3.5's /readyz): a learner serves no writes and no linearizable reads
    HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        c.running.get("m1").clientUrls().get(0).resolve("/readyz?verbose")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(503, ready.statusCode(), ready.body());
    assertTrue(await(c.maintenance("m1").status(io.vkv.api.etcdserverpb.StatusRequest.getDefaultInstance()))
        .getIsLearner(), "Status.isLearner on the learner");
    assertTrue(!await(c.maintenance("m0").status(io.vkv.api.etcdserverpb.StatusRequest.getDefaultInstance()))
        .getIsLearner(), "and not on the voter");
    assertTrue(ready.body().contains("[-]non_learner failed: this member is a learner"), ready.body());
  }

  private void shrink(String name) {
    writable.remove(name);
    c.remove(name);
  }

  private double metric(String member, String name) throws Exception {
    URI u = c.running.get(member).clientUrls().get(0);
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(u.resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return body.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).findFirst()
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .orElseThrow(() -> new AssertionError(name + " missing from /metrics of " + member));
  }

  private Map<String, String> scan(String name) throws Exception {
    var r = await(c.kv(name).range(RangeRequest.newBuilder().setKey(bytes(WriteLoad.PREFIX)).setRangeEnd(bytes("load0"))
        .build()));
    Map<String, String> out = new HashMap<>();
    r.getKvsList().forEach(kv -> out.put(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8()));
    return out;
  }

  /** A KV client on a random writable member (a write may land on any voter; followers hand it on). */
  private KVGrpcClient anyWritableKv() {
    List<String> names = new ArrayList<>(writable);
    names.retainAll(c.running.keySet());
    String name = names.isEmpty() ? c.anyRunning() : names.get(ThreadLocalRandom.current().nextInt(names.size()));
    return c.kv(name);
  }

  /** UNAVAILABLE, and failures without a gRPC status (a stopping member's connection), are what a client retries. */
  private static boolean retriable(Throwable e) {
    GrpcStatus status = GrpcStatus.UNAVAILABLE;
    GrpcStatus got = io.vkv.node.testing.GrpcStatuses.of(e);
    return got == null || got == status;
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
