package io.vkv.node;

import static io.vkv.node.testing.Ports.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.internal.InternalRequest;
import io.vkv.node.testing.Wait;
import io.vkv.store.LogEntry;
import io.vkv.store.MvccStore;
import io.vkv.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member whose store really diverged from its peers': at the same revision (and compact revision) it holds a value
 * the others never had. With {@code --experimental-initial-corrupt-check} it refuses to start; without it, the
 * leader's periodic check ({@code --experimental-corrupt-check-time}) raises a CORRUPT alarm for it and the cluster
 * refuses writes with etcd's {@code etcdserver: corrupt cluster}, while reads (and read-only txns) go on.
 */
@Timeout(300)
class CorruptionCheckClusterTest {
  private static final int SIZE = 3;
  private static final int VICTIM = 2;
  private static final Pattern MEMBER_ID = Pattern.compile("\"member_id\":(\\d+)");

  @TempDir Path dir;
  private final NodeProcess[] members = new NodeProcess[SIZE];
  private final int[] clientPorts = new int[SIZE];
  private final int[] peerPorts = new int[SIZE];

  @AfterEach
  void stopAll() {
    for (NodeProcess p : members) if (p != null) p.close();
  }

  @Test
  void divergedMemberIsRefusedAtStartAndAlarmedByTheLeader() throws Exception {
    for (int i = 0; i < SIZE; i++) {
      clientPorts[i] = freePort();
      peerPorts[i] = freePort();
    }
    for (int i = 0; i < SIZE; i++) start(i);
    Etcdctl all = new Etcdctl(endpoints(List.of(0, 1, 2)));
    Etcdctl survivors = new Etcdctl(endpoints(List.of(0, 1)));
    Etcdctl victim = new Etcdctl(endpoints(List.of(VICTIM)));
    Wait.until(Duration.ofSeconds(20), "a first put", () -> all.run("put", "a/0", "v").exitCode() == 0);
    for (int k = 1; k < 5; k++) all.run("put", "a/" + k, "v").assertOk();
    Wait.until(Duration.ofSeconds(20), "the victim to apply the puts",
        () -> victim.run("get", "a/4", "--consistency=s", "--print-value-only").out().equals("v\n"));
    long victimId = Long.parseUnsignedLong(find(MEMBER_ID, victim.run("endpoint", "status", "-w", "json").assertOk().out()));
    Path store = dir.resolve("p" + VICTIM).resolve("member").resolve("store");

    // a copy of the victim's store as it is now (consistent index I, revision R)
    assertEquals(0, members[VICTIM].terminate());
    members[VICTIM] = null;
    Path base = dir.resolve("base");
    try (MvccStore s = open(store)) {
      s.snapshot(base);
    }
    // one more put through the cluster, which the victim applies at some index J > I (revision R + 1)
    start(VICTIM);
    survivors.run("put", "k", "real").assertOk();
    Wait.until(Duration.ofSeconds(20), "the victim to apply k",
        () -> victim.run("get", "k", "--consistency=s", "--print-value-only").out().equals("real\n"));
    assertEquals(0, members[VICTIM].terminate());
    members[VICTIM] = null;

    // the divergence: the victim's store becomes the copy with a different value for k at index J, revision R + 1
    try (MvccStore s = open(store)) {
      long applied = s.consistentIndex();
      long revision = s.currentRevision();
      int realHash = s.hashKV(revision);
      try (MvccStore copy = open(base)) {
        assertEquals(revision - 1, copy.currentRevision(), "k is the only revision after the copy");
        copy.apply(List.of(new LogEntry(applied, InternalRequest.newBuilder().setPut(PutRequest.newBuilder()
            .setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("diverged"))).build())));
      }
      s.restore(base);
      assertEquals(applied, s.consistentIndex());
      assertEquals(revision, s.currentRevision());
      assertNotEquals(realHash, s.hashKV(revision), "the victim's hash at revision " + revision);
    }

    // (a) the initial check: the victim compares its hash with its peers' and refuses to start
    AssertionError refused = assertThrows(AssertionError.class, () -> start(VICTIM, "--experimental-initial-corrupt-check"));
    assertTrue(refused.getMessage().contains("exited with 1"), refused.getMessage());
    String log = Files.readString(dir.resolve("p" + VICTIM + ".log"));
    assertTrue(log.contains("vkv: failed to start: " + Long.toHexString(victimId) + " found data inconsistency with peers"),
        log);

    // (b) the periodic check: started without the initial check, the victim serves, and the leader alarms it
    start(VICTIM);
    assertEquals("diverged\n", victim.run("get", "k", "--consistency=s", "--print-value-only").assertOk().out());
    String alarm = "memberID:" + Long.toUnsignedString(victimId) + " alarm:CORRUPT \n";
    Wait.until(Duration.ofSeconds(30), "the CORRUPT alarm for the victim",
        () -> survivors.run("alarm", "list").out().equals(alarm));
    for (int i = 0; i < SIZE; i++) {
      Etcdctl one = new Etcdctl(endpoints(List.of(i)));
      // every member applied the alarm: every write is refused, wherever it is sent
      Wait.until(Duration.ofSeconds(10), "member " + i + " to refuse writes", () -> {
        Etcdctl.Result r = one.run("put", "after", "v");
        return r.exitCode() == 1 && errorLines(r).equals(List.of("Error: etcdserver: corrupt cluster"));
      });
      Etcdctl.Result delete = one.run("del", "a/0");
      assertEquals(List.of(1, List.of("Error: etcdserver: corrupt cluster")), List.of(delete.exitCode(), errorLines(delete)),
          delete::toString);
      assertEquals("v\n", one.run("get", "a/1", "--print-value-only").assertOk().out(), "reads go on");
      Etcdctl.Result readOnlyTxn = one.runWithInput("\nget a/1\n\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), "txn");
      assertTrue(readOnlyTxn.exitCode() == 0 && readOnlyTxn.out().startsWith("SUCCESS") && readOnlyTxn.out().contains("a/1\nv\n"),
          readOnlyTxn::toString);
    }
    assertEquals(alarm, all.run("alarm", "list").assertOk().out(), "only the victim is alarmed");
  }

  private static MvccStore open(Path store) {
    return MvccStore.open(new StoreConfig(store, NodeConfig.DEFAULT_QUOTA_BACKEND_BYTES));
  }

  private void start(int i, String... extra) {
    String cluster = IntStream.range(0, SIZE).mapToObj(j -> "c" + j + "=http://127.0.0.1:" + peerPorts[j])
        .collect(Collectors.joining(","));
    List<String> flags = new java.util.ArrayList<>(List.of("--name=c" + i,
        "--advertise-client-urls=http://127.0.0.1:" + clientPorts[i],
        "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPorts[i],
        "--initial-cluster=" + cluster,
        "--initial-cluster-token=corruption-check-test",
        "--heartbeat-interval=" + ProcessClusterTest.HEARTBEAT_MS,
        "--election-timeout=" + ProcessClusterTest.ELECTION_MS,
        "--experimental-corrupt-check-time=500ms"));
    flags.addAll(List.of(extra));
    members[i] = NodeProcess.start(dir.resolve("p" + i), dir.resolve("p" + i + ".log"), clientPorts[i], peerPorts[i],
        flags.toArray(String[]::new));
  }

  private String endpoints(List<Integer> which) {
    return which.stream().map(i -> "127.0.0.1:" + clientPorts[i]).collect(Collectors.joining(","));
  }

  private static String find(Pattern p, String text) {
    Matcher m = p.matcher(text);
    assertTrue(m.find(), p + " in " + text);
    return m.group(1);
  }

  /** stderr without etcdctl's JSON log lines (its retry interceptor's warnings). */
  private static List<String> errorLines(Etcdctl.Result r) {
    return r.err().lines().filter(l -> !l.startsWith("{\"level\":")).toList();
  }
}
