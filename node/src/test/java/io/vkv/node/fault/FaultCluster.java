package io.vkv.node.fault;

import static io.vkv.node.testing.Ports.freePort;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.node.testing.GrpcStatuses;
import io.vkv.api.etcdserverpb.ClusterGrpcClient;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.LeaseGrpcClient;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.WatchGrpcClient;
import io.vkv.api.v3lockpb.LockGrpcClient;
import io.vkv.api.etcdserverpb.MaintenanceGrpcClient;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.etcdserverpb.MemberAddRequest;
import io.vkv.api.etcdserverpb.MemberListRequest;
import io.vkv.api.etcdserverpb.MemberPromoteRequest;
import io.vkv.api.etcdserverpb.MemberRemoveRequest;
import io.vkv.api.etcdserverpb.MoveLeaderRequest;
import io.vkv.api.etcdserverpb.StatusRequest;
import io.vkv.api.etcdserverpb.StatusResponse;
import io.vkv.node.Main;
import io.vkv.node.peer.PeerProxy;
import io.vkv.node.testing.Wait;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Three vkv members as child JVMs ({@code io.vkv.node.Main} on the test class path, with the {@code vkv.jvm.flags}
 * JVM flags) on loopback, each behind a {@link PeerProxy} on its peer URL so that links can be cut. The faults:
 * kill -9 and restart, SIGSTOP / SIGCONT, isolating a member, MoveLeader, removing a member and adding it back as a new
 * learner that joins ({@code --initial-cluster-state existing}) and is promoted, slow links (the proxies delay a
 * member's frames), a slow or stalled disk (each member runs with the WAL's test-only force failpoint, whose
 * delay file this class writes) and a full disk (the store's test-only commit failpoint, likewise).
 */
final class FaultCluster implements AutoCloseable {
  static final int SIZE = 3;
  static final long HEARTBEAT_MS = 50;
  static final long ELECTION_MS = 500;
  static final Duration LIMIT = Duration.ofSeconds(60);
  static final String TOKEN = "fault-cluster";
  /** io.vkv.wal.ForceFailpoint's property: the file holding the delay in ms of each WAL force. */
  static final String FORCE_DELAY_PROPERTY = "vkv.failpoint.walForceDelayFile";
  /** io.vkv.store.CommitFailpoint's property: the file that says "full" while store commits must fail. */
  static final String STORE_FULL_PROPERTY = "vkv.failpoint.storeFullFile";

  /** One member slot: the member that holds it now (a re-added member is a new member in the same slot). */
  final class Slot {
    final int index;
    String name;
    Path dataDir;
    int clientPort;
    int peerPort;
    PeerProxy proxy;
    Process process;
    long id;
    boolean paused;
    int incarnation;

    Slot(int index) {
      this.index = index;
    }

    boolean up() {
      return process != null && process.isAlive() && !paused;
    }

    String peerUrl() {
      return "http://127.0.0.1:" + proxy.port();
    }

    String hexId() {
      return Long.toHexString(id);
    }

    @Override
    public String toString() {
      return name + "(" + hexId() + ")";
    }
  }

  final Vertx vertx = Vertx.vertx();
  final GrpcClient grpc = GrpcClient.client(vertx);
  final Slot[] slots = new Slot[SIZE];
  private final Path dir;
  private final List<PeerProxy> allProxies = new ArrayList<>();
  private final ConcurrentHashMap<Integer, KVGrpcClient> kvByPort = new ConcurrentHashMap<>();

  FaultCluster(Path dir) {
    this.dir = dir;
  }

  void start() throws Exception {
    java.nio.file.Files.createDirectories(dir);
    for (int i = 0; i < SIZE; i++) {
      Slot s = new Slot(i);
      slots[i] = s;
      newIncarnation(s);
    }
    String cluster = Arrays.stream(slots).map(s -> s.name + "=" + s.peerUrl()).collect(Collectors.joining(","));
    for (Slot s : slots) launch(s, cluster, "new");
    for (Slot s : slots) awaitListening(s);
    for (Slot s : slots) s.id = Wait.until(LIMIT, "member id of " + s.name,
        () -> await(maintenance(s).status(StatusRequest.getDefaultInstance())).getHeader().getMemberId(), id -> id != 0);
    awaitHealthy();
  }

  private void newIncarnation(Slot s) throws Exception {
    s.incarnation++;
    s.name = "m" + s.index + (s.incarnation > 1 ? "x" + s.incarnation : "");
    s.dataDir = dir.resolve(s.name);
    s.clientPort = freePort();
    s.peerPort = freePort();
    s.proxy = PeerProxy.start(vertx, s.peerPort);
    allProxies.add(s.proxy);
    s.id = 0;
    s.paused = false;
  }

  private void launch(Slot s, String initialCluster, String state) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String f : System.getProperty("vkv.jvm.flags", "").trim().split("\\s+")) if (!f.isBlank()) cmd.add(f);
    cmd.add("-Xmx256m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-D" + FORCE_DELAY_PROPERTY + "=" + forceDelayFile(s));
    cmd.add("-D" + STORE_FULL_PROPERTY + "=" + storeFullFile(s));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.add("--name=" + s.name);
    cmd.add("--data-dir=" + s.dataDir);
    cmd.add("--listen-client-urls=http://127.0.0.1:" + s.clientPort);
    cmd.add("--advertise-client-urls=http://127.0.0.1:" + s.clientPort);
    cmd.add("--listen-peer-urls=http://127.0.0.1:" + s.peerPort);
    cmd.add("--initial-advertise-peer-urls=" + s.peerUrl());
    cmd.add("--initial-cluster=" + initialCluster);
    cmd.add("--initial-cluster-state=" + state);
    cmd.add("--initial-cluster-token=" + TOKEN);
    cmd.add("--heartbeat-interval=" + HEARTBEAT_MS);
    cmd.add("--election-timeout=" + ELECTION_MS);
    try {
      s.process = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(s.name + ".log").toFile())).start();
      s.paused = false;
    } catch (IOException e) {
      throw new AssertionError("could not start " + s.name, e);
    }
  }

  private void awaitListening(Slot s) {
    Process p = s.process;
    Wait.untilReturns(LIMIT, s.name + " listening on " + s.clientPort, () -> {
      if (!p.isAlive()) throw new AssertionError(s.name + " exited with " + p.exitValue() + "; see its log in " + dir);
      new Socket("127.0.0.1", s.clientPort).close();
      return true;
    });
  }

  // ---- state ----

  KVGrpcClient kv(int port) {
    return kvByPort.computeIfAbsent(port, p -> KVGrpcClient.create(grpc, SocketAddress.inetSocketAddress(p, "127.0.0.1")));
  }

  KVGrpcClient kv(Slot s) {
    return kv(s.clientPort);
  }

  WatchGrpcClient watch(Slot s) {
    return WatchGrpcClient.create(grpc, SocketAddress.inetSocketAddress(s.clientPort, "127.0.0.1"));
  }

  LeaseGrpcClient lease(Slot s) {
    return LeaseGrpcClient.create(grpc, SocketAddress.inetSocketAddress(s.clientPort, "127.0.0.1"));
  }

  LockGrpcClient lock(Slot s) {
    return LockGrpcClient.create(grpc, SocketAddress.inetSocketAddress(s.clientPort, "127.0.0.1"));
  }

  MaintenanceGrpcClient maintenance(Slot s) {
    return MaintenanceGrpcClient.create(grpc, SocketAddress.inetSocketAddress(s.clientPort, "127.0.0.1"));
  }

  ClusterGrpcClient clusterApi(Slot s) {
    return ClusterGrpcClient.create(grpc, SocketAddress.inetSocketAddress(s.clientPort, "127.0.0.1"));
  }

  List<Slot> up() {
    return Arrays.stream(slots).filter(Slot::up).toList();
  }

  Slot slotOf(long id) {
    return Arrays.stream(slots).filter(s -> s.id == id).findFirst().orElse(null);
  }

  /** The member every up member names as leader, if they agree and it is up; else null. */
  Slot agreedLeader() {
    long leader = -1;
    for (Slot s : up()) {
      StatusResponse st;
      try {
        st = await(maintenance(s).status(StatusRequest.getDefaultInstance()));
      } catch (Exception e) {
        return null;
      }
      if (st.getLeader() == 0 || leader != -1 && st.getLeader() != leader) return null;
      leader = st.getLeader();
    }
    Slot l = slotOf(leader);
    return l != null && l.up() ? l : null;
  }

  Slot awaitLeader(String what) {
    return Wait.until(LIMIT, what, this::agreedLeader, l -> l != null);
  }

  /** Every member up, listed as a voter, one leader agreed on by all, and the applied indexes within reach. */
  Slot awaitHealthy() {
    return Wait.until(LIMIT, "all " + SIZE + " members up and agreeing on a leader", () -> {
      if (up().size() != SIZE) return null;
      Slot l = agreedLeader();
      if (l == null) return null;
      long leaderApplied = await(maintenance(l).status(StatusRequest.getDefaultInstance())).getRaftAppliedIndex();
      for (Slot s : slots) {
        StatusResponse st = await(maintenance(s).status(StatusRequest.getDefaultInstance()));
        if (st.getIsLearner() || leaderApplied - st.getRaftAppliedIndex() > 1_000) return null;
      }
      return l;
    }, l -> l != null);
  }

  Slot follower(Slot leader, java.util.Random random) {
    List<Slot> others = Arrays.stream(slots).filter(s -> s != leader).toList();
    return others.get(random.nextInt(others.size()));
  }

  // ---- faults ----

  /** kill -9 */
  void kill(Slot s) throws InterruptedException {
    if (s.paused) signal(s, "CONT");
    s.process.destroyForcibly();
    if (!s.process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError(s.name + " did not die");
  }

  /** Starts a killed member again on its data dir and ports. */
  void restart(Slot s) {
    String cluster = Arrays.stream(slots).map(x -> x.name + "=" + x.peerUrl()).collect(Collectors.joining(","));
    launch(s, cluster, "new"); // the data dir has its state: the flag is read only for an empty one
    awaitListening(s);
  }

  void pause(Slot s) {
    signal(s, "STOP");
    s.paused = true;
  }

  void resume(Slot s) {
    signal(s, "CONT");
    s.paused = false;
  }

  private void signal(Slot s, String sig) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + sig, String.valueOf(s.process.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) throw new AssertionError("kill -" + sig + " failed");
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Cuts every link to and from {@code s}. */
  void isolate(Slot s) {
    for (Slot o : slots) {
      if (o == s) continue;
      o.proxy.cutFrom(s.id);
      s.proxy.cutFrom(o.id);
    }
  }

  /** Delays every frame to and from {@code s} by {@code millis} in the proxies. */
  void slowLinks(Slot s, long millis) {
    for (Slot o : slots) {
      if (o == s) continue;
      o.proxy.delayFrom(s.id, millis);
      s.proxy.delayFrom(o.id, millis);
    }
  }

  /** Drops each Raft frame on every link of {@code s}, both ways, with probability {@code share}. */
  void lossyLinks(Slot s, double share) {
    for (Slot o : slots) {
      if (o == s) continue;
      o.proxy.loseFrom(s.id, share);
      s.proxy.loseFrom(o.id, share);
    }
  }

  /** Makes each WAL force of {@code s} wait {@code millis} first (0: a normal disk again), from its next force on. */
  void slowDisk(Slot s, long millis) {
    writeFailpoint(forceDelayFile(s), Long.toString(millis));
  }

  /**
   * Fills the disk under the store of {@code s} (its next commit fails, and the member then refuses every request
   * until it is restarted, as on a real full disk) or makes room again.
   */
  void fillDisk(Slot s, boolean full) {
    writeFailpoint(storeFullFile(s), full ? "full" : "");
  }

  /**
   * Whether {@code s} answers a linearizable read with the refusal of a member whose disk failed: etcd's ErrCorrupt,
   * DATA_LOSS "etcdserver: corrupt cluster" (the Vert.x client exposes the status, not the message).
   */
  boolean refusesAfterDiskFailure(Slot s) {
    try {
      await(kv(s).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k0")).build()));
      return false;
    } catch (Exception e) {
      return GrpcStatuses.of(e) == GrpcStatus.DATA_LOSS;
    }
  }

  /** Replaces a failpoint's file atomically: the member re-reads it every few ms and must never see half of it. */
  private static void writeFailpoint(Path file, String value) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      java.nio.file.Files.writeString(tmp, value);
      java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new AssertionError("cannot write the failpoint file " + file, e);
    }
  }

  private Path forceDelayFile(Slot s) {
    return dir.resolve(s.name + ".force-delay");
  }

  private Path storeFullFile(Slot s) {
    return dir.resolve(s.name + ".store-full");
  }

  /** Drops every frame from {@code from} to {@code to}; the other direction still flows. */
  void cutOneWay(Slot from, Slot to) {
    to.proxy.cutFrom(from.id);
  }

  /** Reconnects every cut link, removes every link delay and loss and gives every member a normal disk again. */
  void heal() {
    for (Slot s : slots) {
      s.proxy.healAll();
      slowDisk(s, 0);
      fillDisk(s, false);
    }
  }

  /**
   * Maintenance.MoveLeader to {@code target}, asked of whichever member leads at each attempt (on a loaded machine
   * an election may move leadership between the caller's look and the call, and the old leader then refuses every
   * retry with "not leader"); done once {@code target} leads, by this call or by that election.
   */
  void moveLeader(Slot leader, Slot target) {
    retrying("move leader to " + target, () -> {
      Slot now = agreedLeader();
      if (now == target) return true;
      await(maintenance(now != null ? now : leader)
          .moveLeader(MoveLeaderRequest.newBuilder().setTargetID(target.id).build()));
      return true;
    });
  }

  /** MemberRemove of {@code s} through another member; waits until its process stopped by itself. */
  void remove(Slot s) throws Exception {
    Slot via = Arrays.stream(slots).filter(o -> o != s && o.up()).findFirst().orElseThrow();
    long id = s.id;
    retrying("remove " + s, () -> await(clusterApi(via).memberRemove(MemberRemoveRequest.newBuilder().setID(id).build())));
    Process p = s.process;
    Wait.until(LIMIT, s + " to stop after its removal", () -> !p.isAlive());
  }

  /**
   * A new member in {@code s}'s slot (new name, data dir, ports, proxy): MemberAdd as a learner, started with
   * {@code --initial-cluster-state existing}, promoted once in sync.
   */
  void addBack(Slot s, boolean promoteEarly) throws Exception {
    newIncarnation(s);
    Slot via = Arrays.stream(slots).filter(o -> o != s && o.up()).findFirst().orElseThrow();
    Member added = retrying("add " + s.name, () -> await(clusterApi(via).memberAdd(MemberAddRequest.newBuilder()
        .addPeerURLs(s.peerUrl()).setIsLearner(true).build())).getMember());
    s.id = added.getID();
    String cluster = Arrays.stream(slots).map(x -> x.name + "=" + x.peerUrl()).collect(Collectors.joining(","));
    launch(s, cluster, "existing");
    awaitListening(s);
    if (!promoteEarly) {
      // as an operator would: promote once the learner has installed its snapshot and caught up. Promoting as soon
      // as the leader accepts it can hit the open bug in docs/RELIABILITY.md (the member keeps its own view of
      // itself as a learner when the promotion is applied right after the snapshot install)
      Wait.until(LIMIT, s + " caught up as a learner", () -> {
        Slot l = Arrays.stream(slots).filter(o -> o != s && o.up()).findFirst().orElseThrow();
        long leaderApplied = await(maintenance(l).status(StatusRequest.getDefaultInstance())).getRaftAppliedIndex();
        StatusResponse st = await(maintenance(s).status(StatusRequest.getDefaultInstance()));
        return st.getRaftAppliedIndex() > 0 && leaderApplied - st.getRaftAppliedIndex() < 50;
      });
    }
    retrying("promote " + s, () -> await(clusterApi(via).memberPromote(MemberPromoteRequest.newBuilder()
        .setID(added.getID()).build())));
    Wait.until(LIMIT, () -> s + " a voter on every member; lists: " + memberLists(), () -> Arrays.stream(slots)
        .allMatch(o -> {
          try {
            return await(clusterApi(o).memberList(MemberListRequest.getDefaultInstance())).getMembersList().stream()
                .anyMatch(m -> m.getID() == added.getID() && !m.getIsLearner());
          } catch (Exception e) {
            return false;
          }
        }));
  }

  /** What each member answers to MemberList (ids, learners marked), for failure messages. */
  String memberLists() {
    StringBuilder sb = new StringBuilder();
    for (Slot o : slots) {
      sb.append(o).append(": ");
      try {
        sb.append(await(clusterApi(o).memberList(MemberListRequest.getDefaultInstance())).getMembersList().stream()
            .map(m -> Long.toHexString(m.getID()) + (m.getIsLearner() ? "(learner)" : "")).toList());
      } catch (Exception e) {
        sb.append(e);
      }
      sb.append("; ");
    }
    return sb.toString();
  }

  /** Copies the members' logs to {@code to} (the temp dir goes away after the test). */
  void saveLogs(Path to) {
    try {
      java.nio.file.Files.createDirectories(to);
      try (var files = java.nio.file.Files.list(dir)) {
        for (Path f : files.filter(f -> f.toString().endsWith(".log")).toList()) {
          java.nio.file.Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      System.out.println("could not save the logs: " + e);
    }
  }

  /** A call an operator retries while refused for now (UNAVAILABLE, FAILED_PRECONDITION, DEADLINE, no answer). */
  <T> T retrying(String what, Callable<T> call) {
    return Wait.until(LIMIT, what, () -> {
      try {
        return call.call();
      } catch (Exception e) {
        GrpcStatus status = GrpcStatuses.of(e);
        if (status != null && status != GrpcStatus.UNAVAILABLE && status != GrpcStatus.FAILED_PRECONDITION
            && status != GrpcStatus.DEADLINE_EXCEEDED) {
          throw new AssertionError(what + " failed", e);
        }
        throw e;
      }
    }, r -> true);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  List<Integer> indexes() {
    return IntStream.range(0, SIZE).boxed().toList();
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() {
    for (Slot s : slots) {
      if (s == null || s.process == null) continue;
      if (s.paused) {
        try {
          signal(s, "CONT");
        } catch (AssertionError ignored) {
          // it is killed next anyway
        }
      }
      s.process.destroyForcibly();
      try {
        s.process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (PeerProxy p : allProxies) {
      try {
        p.close();
      } catch (Exception ignored) {
        // closing anyway
      }
    }
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
