package io.vkv.node;

import static io.vkv.node.testing.Ports.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.node.testing.Wait;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-member cluster as three JVMs driven by the real etcdctl with all three endpoints: one leader in
 * {@code endpoint status -w table}, kill -9 of the leader under gRPC write load on every member, writes
 * continue, the killed member restarts and catches up, and every acknowledged write is on every member.
 */
class ProcessClusterTest {
  static final int SIZE = 3;
  static final long HEARTBEAT_MS = 50;
  static final long ELECTION_MS = 500;

  @TempDir Path dir;
  final NodeProcess[] members = new NodeProcess[SIZE];
  final int[] clientPorts = new int[SIZE];
  final int[] peerPorts = new int[SIZE];
  final Vertx vertx = Vertx.vertx();
  final GrpcClient grpc = GrpcClient.client(vertx);
  final WriteLoad load = new WriteLoad(vertx);

  @AfterEach
  void stopAll() throws Exception {
    try {
      load.stopAndAwait(20_000);
    } finally {
      for (NodeProcess p : members) if (p != null) p.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void etcdctlAgainstThreeProcessesSurvivesKill9OfTheLeader() throws Exception {
    for (int i = 0; i < SIZE; i++) {
      clientPorts[i] = freePort();
      peerPorts[i] = freePort();
    }
    for (int i = 0; i < SIZE; i++) start(i);
    Etcdctl all = new Etcdctl(endpoints(List.of(0, 1, 2)));

    List<String[]> table = awaitOneLeader(all, 3);
    for (int k = 0; k < 10; k++) all.run("put", "p/" + k, "v" + k).assertOk();
    assertEquals("p/3\nv3\n", all.run("get", "p/3").assertOk().out());
    int leader = leaderIndex(table);
    // gRPC writers on every member, the leader included, while it dies
    for (int w = 0; w < 6; w++) load.start(kv(w % SIZE), w % SIZE);
    awaitMoreAcks(30, "writes before the kill");

    members[leader].kill(); // SIGKILL
    members[leader] = null;
    List<Integer> survivors = new ArrayList<>(List.of(0, 1, 2));
    survivors.remove(Integer.valueOf(leader));
    long killedAt = System.nanoTime();
    // etcdctl with all three endpoints (one of them dead) keeps working once the others elected a leader
    Wait.until(Duration.ofMillis(10 * ELECTION_MS), "a put through etcdctl after the leader was killed",
        () -> all.run("put", "p/after-kill", "1").exitCode() == 0);
    long recoveredMs = (System.nanoTime() - killedAt) / 1_000_000;
    Etcdctl alive = new Etcdctl(endpoints(survivors));
    List<String[]> after = awaitOneLeader(alive, 2);
    assertTrue(leaderIndex(after) != leader);
    for (int k = 10; k < 20; k++) all.run("put", "p/" + k, "v" + k).assertOk();
    awaitMoreAcks(30, "writes on the survivors after the kill");

    start(leader);
    Etcdctl restarted = new Etcdctl(endpoints(List.of(leader)));
    // it catches up from the leader's log: a serializable read on it alone sees the writes it missed
    Wait.until(Duration.ofMillis(10 * ELECTION_MS), "the restarted member to catch up",
        () -> restarted.run("get", "p/19", "--consistency=s", "--print-value-only").out().equals("v19\n"));
    List<String[]> rows = awaitOneLeader(all, 3);
    assertEquals(1, rows.stream().filter(r -> r[4].equals("true")).count());
    // every put survived: 20 keys and p/after-kill
    assertEquals(21, all.run("get", "p/", "--prefix", "--keys-only").assertOk().out().lines()
        .filter(l -> !l.isBlank()).count(), "keys after the failover (which took " + recoveredMs + " ms)");
    assertEquals("1\n", restarted.run("get", "p/after-kill", "--print-value-only").assertOk().out());
    awaitMoreAcks(30, "writes on all three after the restart");
    load.stopAndAwait(20_000);
    for (int i = 0; i < SIZE; i++) load.assertAllIn(scan(i), "p" + i);
  }

  private KVGrpcClient kv(int i) {
    return KVGrpcClient.create(grpc, SocketAddress.inetSocketAddress(clientPorts[i], "127.0.0.1"));
  }

  /** The load's keys on member {@code i}, read linearizably. */
  private Map<String, String> scan(int i) throws Exception {
    RangeResponse r = TestCluster.await(kv(i).range(RangeRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(WriteLoad.PREFIX)).setRangeEnd(ByteString.copyFromUtf8("load0")).build()));
    Map<String, String> found = new HashMap<>();
    r.getKvsList().forEach(kv -> found.put(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8()));
    return found;
  }

  private void awaitMoreAcks(int more, String what) {
    int target = load.ackedCount() + more;
    Wait.until(Duration.ofSeconds(20), what, () -> load.ackedCount() >= target);
  }

  private void start(int i) {
    String cluster = java.util.stream.IntStream.range(0, SIZE)
        .mapToObj(j -> "p" + j + "=http://127.0.0.1:" + peerPorts[j]).collect(Collectors.joining(","));
    members[i] = NodeProcess.start(dir.resolve("p" + i), dir.resolve("p" + i + ".log"), clientPorts[i], peerPorts[i],
        "--name=p" + i,
        "--advertise-client-urls=http://127.0.0.1:" + clientPorts[i],
        "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPorts[i],
        "--initial-cluster=" + cluster,
        "--initial-cluster-token=process-cluster-test",
        "--initial-cluster-state=new",
        "--heartbeat-interval=" + HEARTBEAT_MS,
        "--election-timeout=" + ELECTION_MS);
  }

  private String endpoints(List<Integer> which) {
    return which.stream().map(i -> "127.0.0.1:" + clientPorts[i]).collect(Collectors.joining(","));
  }

  /**
   * Polls {@code endpoint status -w table} until it has {@code rows} members, all healthy, exactly one of them
   * the leader; returns the rows (columns: endpoint, id, version, db size, is leader, ...).
   */
  private List<String[]> awaitOneLeader(Etcdctl etcdctl, int rows) {
    List<List<String[]>> last = new ArrayList<>(List.of(List.of()));
    String[] out = {""};
    try {
      Wait.until(Duration.ofMillis(20 * ELECTION_MS), "exactly one leader among " + rows + " members", () -> {
      Etcdctl.Result r = etcdctl.run("endpoint", "status", "-w", "table");
      out[0] = r.out() + r.err();
      if (r.exitCode() != 0) return false;
      List<String[]> parsed = r.out().lines().filter(l -> l.startsWith("|") && !l.contains("ENDPOINT"))
          .map(l -> l.substring(1).split("\\|")).map(cols -> {
            for (int c = 0; c < cols.length; c++) cols[c] = cols[c].strip();
            return cols;
          }).toList();
      last.set(0, parsed);
      return parsed.size() == rows && parsed.stream().filter(c -> c[4].equals("true")).count() == 1;
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last status: " + out[0], e);
    }
    return last.get(0);
  }

  private int leaderIndex(List<String[]> table) {
    String endpoint = table.stream().filter(c -> c[4].equals("true")).findFirst().orElseThrow()[0];
    for (int i = 0; i < SIZE; i++) if (endpoint.equals("127.0.0.1:" + clientPorts[i])) return i;
    throw new AssertionError("leader endpoint " + endpoint + " is none of ours");
  }
}
