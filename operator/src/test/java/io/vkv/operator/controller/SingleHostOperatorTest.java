package io.vkv.operator.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.api.mvccpb.KeyValue;
import io.vkv.client.VkvClient;
import io.vkv.client.VkvClientOptions;
import io.vkv.node.testing.Wait;
import io.vkv.operator.backend.local.LocalPlatform;
import io.vkv.operator.backend.local.SingleHost;
import io.vkv.operator.backup.SnapshotTrailer;
import io.vkv.operator.reconcile.PlatformMember;
import io.vkv.operator.spec.ClusterStatus;
import io.vkv.operator.spec.SpecFiles;
import io.vkv.operator.spec.VkvCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole controller for real on one host: vkv member processes from node/target/vkv.jar, driven through
 * create 3 → 5 → 3 → a member killed with its data deleted → scheduled backups, pruned → a new cluster restored from
 * one. Each pass runs on a fresh {@link Controller}, so nothing but the spec, the status file and the cluster carries
 * over between passes — as after a restart at any point.
 */
class SingleHostOperatorTest {
  private static final Path VKV_JAR = Path.of(System.getProperty("vkv.jar", "../node/target/vkv.jar")).toAbsolutePath();
  private static final List<String> MEMBER_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  private static final Duration STEP = Duration.ofSeconds(90);

  @TempDir Path dir;
  private final List<Path> specs = new ArrayList<>();
  /** Every line the controllers printed, in order (also echoed to the test output). */
  private final List<String> actions = new ArrayList<>();

  @AfterEach
  void destroyClusters() throws IOException {
    for (Path spec : specs) {
      LocalPlatform platform = host().platform(SpecFiles.readSpec(spec));
      for (PlatformMember p : platform.list()) platform.delete(p.name());
    }
  }

  @Test
  void createResizeHealBackUpAndRestore() throws Exception {
    assertTrue(Files.isRegularFile(VKV_JAR), "build node first: " + VKV_JAR);
    Path spec = dir.resolve("demo.yaml");
    specs.add(spec);
    writeSpec(spec, "demo", 3, "");

    // create: one member, then two learners promoted one at a time
    ClusterStatus s = reconcileUntil(spec, "3 healthy voters", st -> running(st, 3));
    Map<String, String> written = new LinkedHashMap<>();
    try (Client c = new Client(endpoints(s))) {
      for (int i = 0; i < 50; i++) {
        written.put("k/" + i, "v" + i);
        c.put("k/" + i, "v" + i);
      }
    }

    // resize up and down by changing one number
    writeSpec(spec, "demo", 5, "");
    s = reconcileUntil(spec, "5 healthy voters", st -> running(st, 5));
    writeSpec(spec, "demo", 3, "");
    s = reconcileUntil(spec, "back to 3 voters, the removed members deleted", st -> running(st, 3) && platformSize(spec) == 3);
    try (Client c = new Client(endpoints(s))) {
      assertEquals(written, c.all());
    }

    // heal: kill -9 a member and delete its data; it is replaced by a member with a new name
    String leader = s.leader();
    String victim = s.members().stream().filter(m -> !m.name().equals(leader)).findFirst().orElseThrow().name();
    LocalPlatform platform = host().platform(SpecFiles.readSpec(spec));
    platform.kill(victim);
    deleteTree(platform.dataDir(victim));
    Set<String> before = names(s);
    s = reconcileUntil(spec, "the lost member replaced", st -> running(st, 3) && !names(st).contains(victim) && platformSize(spec) == 3);
    Set<String> added = names(s);
    added.removeAll(before);
    assertEquals(1, added.size(), "one new member: " + names(s));
    try (Client c = new Client(endpoints(s))) {
      assertEquals(written, c.all());
    }

    // backups on a schedule, verified, pruned beyond maxBackups
    writeSpec(spec, "demo", 3, "  backup: {interval: 2s, maxBackups: 2, directory: backups}\n");
    Path backups = dir.resolve("backups");
    Set<String> seen = new HashSet<>();
    reconcileUntil(spec, "4 backups taken and only the newest 2 kept", st -> {
      seen.addAll(backupNames(backups));
      return seen.size() >= 4 && backupNames(backups).size() == 2;
    });
    List<String> kept = backupNames(backups);
    for (String b : kept) SnapshotTrailer.verify(backups.resolve(b));
    assertTrue(kept.stream().allMatch(b -> b.matches("demo-\\d{8}T\\d{9}Z-r\\d+\\.db")), kept.toString());
    assertEquals(kept.get(kept.size() - 1), SpecFiles.readStatus(SpecFiles.statusFileFor(spec)).lastBackup());
    assertFalse(Files.list(backups).anyMatch(f -> f.getFileName().toString().endsWith(".part")));

    // restore: a new cluster from the newest backup holds the same data
    Path restoredSpec = dir.resolve("restored.yaml");
    specs.add(restoredSpec);
    writeSpec(restoredSpec, "restored", 1, "  backup: {directory: backups}\n  restore: {backupName: " + kept.get(kept.size() - 1) + "}\n");
    ClusterStatus r = reconcileUntil(restoredSpec, "the restored cluster", st -> running(st, 1));
    try (Client c = new Client(endpoints(r))) {
      assertEquals(written, c.all());
    }
  }

  /**
   * Upgrade: members restarted one at a time on another jar (followers first, the leader after a leader transfer)
   * while 16 clients write. By default the "new version" is a copy of the jar under test, which checks the order and
   * the zero-downtime promise; with {@code -Dvkv.upgrade.fromJar=<an older vkv.jar>} the cluster is created on that
   * older build and upgraded to the jar under test, which checks the two builds work together (docs/operator.md,
   * "Upgrade from an older build", has the command and the builds it was run with).
   */
  @Test
  void upgradeUnderLoadLosesNoWriteAndFailsNoRequest() throws Exception {
    assertTrue(Files.isRegularFile(VKV_JAR), "build node first: " + VKV_JAR);
    String olderJar = System.getProperty("vkv.upgrade.fromJar", "");
    String from;
    String to;
    if (olderJar.isEmpty()) {
      from = "current";
      to = "vkv-next.jar";
      Files.copy(VKV_JAR, dir.resolve(to));
    } else {
      from = "vkv-older.jar";
      to = "current";
      Files.copy(Path.of(olderJar), dir.resolve(from));
    }
    Path spec = dir.resolve("up.yaml");
    specs.add(spec);
    writeSpec(spec, "up", 3, "  version: " + from + "\n");
    ClusterStatus s = reconcileUntil(spec, "3 healthy voters", st -> running(st, 3));
    assertTrue(host().platform(SpecFiles.readSpec(spec)).list().stream().allMatch(p -> from.equals(p.version())));

    Set<String> members = names(s);
    String firstLeader = s.leader();
    try (Client c = new Client(endpoints(s)); Load load = new Load(c, 16)) {
      Wait.until(Duration.ofSeconds(30), "the load to start", () -> load.acked() >= 100);
      writeSpec(spec, "up", 3, "  version: " + to + "\n");
      reconcileUntil(spec, "every member on the new jar", st -> running(st, 3)
          && host().platform(SpecFiles.readSpec(spec)).list().stream().allMatch(p -> to.equals(p.version())));
      assertEquals(members, names(SpecFiles.readStatus(SpecFiles.statusFileFor(spec))), "upgraded in place, none replaced");
      // followers one at a time, then leadership moves off the old leader, which goes last
      List<String> steps = actions.stream().filter(l -> !l.contains("FAILED"))
          .filter(l -> l.contains(" upgrade up-") || l.contains(" move leader")).map(l -> l.substring(l.indexOf(' ') + 1)).toList();
      assertEquals(4, steps.size(), steps.toString());
      assertTrue(steps.get(2).startsWith("move leader"), steps.toString());
      assertTrue(steps.get(3).startsWith("upgrade " + firstLeader + " "), steps.toString());
      assertFalse(steps.get(0).startsWith("upgrade " + firstLeader + " ") || steps.get(1).startsWith("upgrade " + firstLeader + " "));
      long ackedAtEnd = load.acked();
      Wait.until(Duration.ofSeconds(30), "more writes after the upgrade", () -> load.acked() >= ackedAtEnd + 100);
      load.stop();
      assertEquals(List.of(), load.failures(), "requests that failed with a non-retriable error or never succeeded");
      Map<String, String> stored = c.all("u/");
      for (Map.Entry<String, String> e : load.ackedWrites().entrySet()) {
        assertEquals(e.getValue(), stored.get(e.getKey()), "acknowledged write " + e.getKey());
      }
      System.out.println("upgrade under load from " + (olderJar.isEmpty() ? "a copy of the jar" : olderJar) + ": "
          + load.ackedWrites().size() + " writes acknowledged, "
          + load.retriable() + " retriable errors retried");
    }
  }

  // ---- driving the controller ----

  private SingleHost host() {
    return new SingleHost(dir, VKV_JAR, MEMBER_JVM);
  }

  @FunctionalInterface
  interface StatusCheck {
    boolean holds(ClusterStatus s) throws Exception;
  }

  /** Passes (each on a new controller) until the status written by the last pass satisfies {@code done}. */
  private ClusterStatus reconcileUntil(Path spec, String what, StatusCheck done) {
    ClusterStatus[] last = {null};
    Wait.until(STEP, () -> what + "; last status:\n" + SpecFiles.toYaml(last[0]), () -> {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      try (Controller c = new Controller(spec, host(), Clock.systemUTC(), new java.io.PrintStream(out, true, "UTF-8"))) {
        c.pass();
      }
      for (String line : out.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) continue;
        actions.add(line);
        System.out.println(line);
      }
      last[0] = SpecFiles.readStatus(SpecFiles.statusFileFor(spec));
      return done.holds(last[0]);
    });
    return last[0];
  }

  private static boolean running(ClusterStatus s, int voters) {
    return s != null && "Running".equals(s.phase()) && s.members().size() == voters
        && s.members().stream().allMatch(m -> m.healthy() && !m.learner());
  }

  private int platformSize(Path spec) throws IOException {
    return host().platform(SpecFiles.readSpec(spec)).list().size();
  }

  private static Set<String> names(ClusterStatus s) {
    Set<String> n = new HashSet<>();
    for (ClusterStatus.MemberStatus m : s.members()) n.add(m.name());
    return n;
  }

  private static List<String> endpoints(ClusterStatus s) {
    return s.members().stream().map(ClusterStatus.MemberStatus::clientUrl).toList();
  }

  private static List<String> backupNames(Path backups) throws IOException {
    if (!Files.isDirectory(backups)) return List.of();
    try (Stream<Path> files = Files.list(backups)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".db")).sorted().toList();
    }
  }

  private static void writeSpec(Path file, String name, int size, String extra) throws IOException {
    String yaml = "apiVersion: vkv.io/v1alpha1\nkind: VkvCluster\nmetadata:\n  name: " + name + "\nspec:\n"
        + "  size: " + size + "\n  storage: {dataRoot: " + name + "-data}\n"
        + "  member: {heartbeatInterval: 50, electionTimeout: 500}\n  heal: {unhealthyAfter: 60s}\n" + extra;
    VkvCluster checked = SpecFiles.parse(yaml);
    assertEquals(name, checked.name());
    Files.writeString(file, yaml);
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> all = Files.walk(p)) {
      for (Path f : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
    }
  }

  /** Puts and reads through the project's client with every member as an endpoint. */
  private static final class Client implements AutoCloseable {
    private final VkvClient client;

    Client(List<String> endpoints) {
      client = VkvClient.create(new VkvClientOptions().setEndpoints(endpoints));
    }

    void put(String k, String v) throws Exception {
      client.kv().put(k, v).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    Map<String, String> all() throws Exception {
      return all("k/");
    }

    /** Every key under {@code prefix} (which ends in '/'). */
    Map<String, String> all(String prefix) throws Exception {
      String end = prefix.substring(0, prefix.length() - 1) + "0";
      RangeRequest req = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(prefix))
          .setRangeEnd(ByteString.copyFromUtf8(end)).build();
      RangeResponse r = client.kv().range(req).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Map<String, String> out = new LinkedHashMap<>();
      List<KeyValue> kvs = new ArrayList<>(r.getKvsList());
      kvs.sort(Comparator.comparing(kv -> kv.getKey().toStringUtf8()));
      for (KeyValue kv : kvs) out.put(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8());
      return out;
    }

    VkvClient client() {
      return client;
    }

    @Override
    public void close() throws Exception {
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * {@code writers} threads putting {@code u/<writer>/<n>} one after another. A put refused with UNAVAILABLE (etcd's
   * retriable status: a member going down, no leader for a moment) is sent again, as an etcd client would; anything
   * else, or a put still failing after 20 s, is a failure.
   */
  private static final class Load implements AutoCloseable {
    private final Client client;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, String> acked = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.atomic.AtomicLong retriable = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean stopped;

    Load(Client client, int writers) {
      this.client = client;
      for (int w = 0; w < writers; w++) {
        int writer = w;
        Thread t = new Thread(() -> write(writer), "load-" + w);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    private void write(int writer) {
      for (int n = 0; !stopped; n++) {
        String key = "u/" + writer + "/" + n;
        String value = "v" + n;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
          try {
            client.client().kv().put(key, value).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
            acked.put(key, value);
            break;
          } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            boolean unavailable = cause instanceof io.vkv.client.VkvException v
                && v.status() == io.vertx.grpc.common.GrpcStatus.UNAVAILABLE;
            if (!unavailable || System.nanoTime() > deadline) {
              failures.add(key + ": " + cause);
              break;
            }
            retriable.incrementAndGet();
          }
        }
      }
    }

    long acked() {
      return acked.size();
    }

    Map<String, String> ackedWrites() {
      return acked;
    }

    List<String> failures() {
      return List.copyOf(failures);
    }

    long retriable() {
      return retriable.get();
    }

    void stop() throws InterruptedException {
      stopped = true;
      for (Thread t : threads) t.join(TimeUnit.SECONDS.toMillis(40));
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }
}
