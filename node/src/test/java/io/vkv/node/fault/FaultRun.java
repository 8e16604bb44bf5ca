package io.vkv.node.fault;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.api.etcdserverpb.TxnResponse;
import io.vkv.node.fault.FaultCluster.Slot;
import io.vkv.node.testing.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One fault-injection run: a 3-member cluster of child JVMs, a register workload on 8 keys against random members —
 * and beside it multi-key txn clients, watchers, lease clients and fenced lock clients — a sequence of faults chosen
 * by the seed (each injected, held, healed, and the cluster awaited healthy again), then the checks: the register
 * checker over the history (with final reads of every key on every member), the revision checks, every acknowledged
 * write read back at its revision on every member, the txn checker over the txn history (with a final read of the
 * group on every member), and the watch, lease and lock checkers.
 */
final class FaultRun {
  enum Fault {
    KILL_LEADER, KILL_FOLLOWER, PAUSE_MEMBER, PARTITION_FOLLOWER, PARTITION_LEADER, MOVE_LEADER, MEMBERSHIP,
    SLOW_DISK_LEADER, SLOW_DISK_FOLLOWER, SLOW_LINKS, ONE_WAY_PARTITION, LOSSY_LINKS, DISK_FULL
  }

  /** A slow disk waits this long per WAL force; a stalled one {@link #STALL_MS} (beyond the election timeout). */
  static final int SLOW_DISK_MIN_MS = 50;
  static final int SLOW_DISK_MAX_MS = 200;
  static final int STALL_MIN_MS = 2_000;
  static final int STALL_MAX_MS = 3_000;
  /** A slow link delays each frame by this much, each way. */
  static final int LINK_DELAY_MIN_MS = 20;
  static final int LINK_DELAY_MAX_MS = 150;
  /** A lossy link drops this share of the Raft frames, each way, each frame drawn on its own. */
  static final double LINK_LOSS_MIN = 0.1;
  static final double LINK_LOSS_MAX = 0.4;

  static final int KEYS = 8;
  static final int CLIENTS = 6;
  static final int WATCHERS = 2;
  static final int LEASE_CLIENTS = 2;
  static final int LOCK_CLIENTS = 3;
  static final int TXN_CLIENTS = 3;

  /** What a run did and found. */
  record Result(long seed, List<String> faults, int ops, int ok, int failedCas, int unknown, int ackedWrites,
      RegisterChecker.Verdict verdict, List<String> problems, long checkMillis, long runMillis, Path historyFile,
      RegisterChecker.Status staleVerdict, SideStats side, TxnStats txn) {
    boolean passed() {
      return verdict.linearizable() && txn.verdict().linearizable() && problems.isEmpty();
    }

    String summary() {
      return String.format("seed=%d faults=%s ops=%d (ok=%d cas-failed=%d unknown=%d, acked writes=%d) verdict=%s"
          + " problems=%d check=%dms run=%dms (with one final read made stale: %s) %s %s%s", seed, faults, ops, ok,
          failedCas, unknown, ackedWrites, verdict.status(), problems.size(), checkMillis, runMillis, staleVerdict,
          txn.summary(), side.summary(), historyFile == null ? "" : " history=" + historyFile);
    }
  }

  private final long seed;
  private final List<Fault> schedule;
  private final Path dir;
  private final Path historyDir;
  private final Random random;
  private final List<String> injected = new ArrayList<>();
  /** Promote a re-added learner as soon as the leader accepts it (true), or once it caught up (false). */
  private boolean promoteEarly;

  FaultRun promoteEarly(boolean early) {
    this.promoteEarly = early;
    return this;
  }

  /** Every fault kind once, in an order the seed shuffles, then {@code extra} more drawn by the seed. */
  static List<Fault> scheduleFor(long seed, int extra) {
    Random r = new Random(seed);
    List<Fault> s = new ArrayList<>(List.of(Fault.values()));
    Collections.shuffle(s, r);
    for (int i = 0; i < extra; i++) s.add(Fault.values()[r.nextInt(Fault.values().length)]);
    return s;
  }

  FaultRun(long seed, List<Fault> schedule, Path dir, Path historyDir) {
    this.seed = seed;
    this.schedule = schedule;
    this.dir = dir;
    this.historyDir = historyDir;
    this.random = new Random(seed * 31 + 7);
  }

  Result run() throws Exception {
    long t0 = System.nanoTime();
    FaultCluster cluster = new FaultCluster(dir);
    try {
      return run(cluster, t0);
    } catch (Exception | AssertionError e) {
      Path logs = historyDir.resolve("fault-seed-" + seed + "-" + System.currentTimeMillis() + "-logs");
      cluster.saveLogs(logs);
      throw new AssertionError("seed " + seed + " after faults " + injected + " failed (member logs in " + logs + "): "
          + e.getMessage(), e);
    } finally {
      cluster.close();
    }
  }

  private Result run(FaultCluster cluster, long t0) throws Exception {
    {
      cluster.start();
      Random pick = new Random(seed);
      RegisterWorkload load = new RegisterWorkload(cluster.vertx, KEYS, () -> {
        Slot s = cluster.slots[pick.nextInt(FaultCluster.SIZE)];
        return new RegisterWorkload.Target(s.hexId(), cluster.kv(s));
      }, seed);
      long startRev = currentRevision(cluster) + 1;
      WatchWorkload watch = new WatchWorkload(cluster, seed + 1);
      LeaseWorkload leases = new LeaseWorkload(cluster, seed + 2);
      LockWorkload locks = new LockWorkload(cluster, seed + 3);
      TxnWorkload txns = new TxnWorkload(cluster, seed + 4);
      watch.start(WATCHERS, startRev);
      leases.start(LEASE_CLIENTS);
      locks.start(LOCK_CLIENTS);
      txns.start(TXN_CLIENTS);
      load.start(CLIENTS);
      load.awaitMore(100, FaultCluster.LIMIT, "ops before the first fault");
      for (Fault f : schedule) {
        inject(cluster, load, f);
        cluster.heal();
        cluster.awaitHealthy();
        load.awaitMore(50, FaultCluster.LIMIT, "ops after healing " + f);
      }
      load.stopAndAwait();
      txns.stopAndAwait();
      watch.stopWriter();
      leases.stopGranting();
      locks.stop();
      List<Op> history = new ArrayList<>(load.history());
      List<String> problems = new ArrayList<>();
      finalReads(cluster, load, history, problems);
      List<TxnOp> txnHistory = new ArrayList<>(txns.history());
      finalGroupReads(cluster, txns, txnHistory, problems);
      durability(cluster, history, problems);
      SideHistory side = sideChecks(cluster, watch, leases, locks, startRev, problems);
      problems.addAll(side.problems(history));
      long c0 = System.nanoTime();
      RegisterChecker.Verdict verdict = new RegisterChecker().check(history);
      problems.addAll(RevisionChecks.check(history, 10));
      long checkMs = (System.nanoTime() - c0) / 1_000_000;
      int ok = (int) history.stream().filter(o -> o.outcome() == Op.Outcome.OK).count();
      int failed = (int) history.stream().filter(o -> o.outcome() == Op.Outcome.FAILED).count();
      int acked = (int) history.stream().filter(Op::ackedWrite).count();
      TxnStats txn = TxnStats.of(txnHistory);
      Path file = null;
      boolean passed = verdict.linearizable() && txn.verdict().linearizable() && problems.isEmpty();
      if (!passed) {
        file = writeHistory(history, txnHistory, side, verdict, txn.verdict(), problems);
        cluster.saveLogs(Path.of(file + "-logs"));
      }
      // the checker is not vacuous on this very history: one final read made stale must be flagged
      List<Op> stale = withOneFinalReadStale(history);
      RegisterChecker.Status staleVerdict = stale == null ? null : new RegisterChecker().check(stale).status();
      return new Result(seed, injected, history.size(), ok, failed, history.size() - ok - failed, acked, verdict, problems,
          checkMs, (System.nanoTime() - t0) / 1_000_000, file, staleVerdict,
          SideStats.of(side, history, watch.streams(), locks.stalls()), txn);
    }
  }

  private static long currentRevision(FaultCluster cluster) {
    Slot any = cluster.awaitHealthy();
    return Wait.untilReturns(FaultCluster.LIMIT, "the current revision", () -> FaultCluster.await(cluster.kv(any)
        .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k0")).build()))).getHeader().getRevision();
  }

  /**
   * Once every writer stopped: reads back the versions of the watched keys and of the fence key, awaits the
   * watchers past the last watched write, and observes the lease keys on every member (polled until the lease
   * checker is satisfied or 30 s passed, after waiting out every lapsed lease's TTL).
   */
  private SideHistory sideChecks(FaultCluster cluster, WatchWorkload watch, LeaseWorkload leases, LockWorkload locks,
      long startRev, List<String> problems) throws Exception {
    long endRev = currentRevision(cluster);
    Slot reader = cluster.awaitHealthy();
    List<String> watched = new ArrayList<>(WatchWorkload.PAIR_KEYS);
    for (int k = 0; k < KEYS; k++) watched.add("k" + k);
    List<KeyVersion> versions = KeyHistory.read(cluster.kv(reader), watched, startRev, endRev);
    long lastWatched = versions.stream().mapToLong(KeyVersion::modRev).max().orElse(0);
    try {
      watch.awaitCaughtUp(lastWatched, FaultCluster.LIMIT);
    } catch (AssertionError e) {
      problems.add("watch: " + e.getMessage());
    }
    watch.stop();
    problems.addAll(watch.problems().stream().map(p -> "watch: " + p).toList());
    List<KeyVersion> fence = KeyHistory.read(cluster.kv(reader), List.of(LockWorkload.FENCE), 1, endRev);

    long lapsed = leases.records().stream().map(l -> LeaseChecker.goneAfter(l, SideHistory.LEASE_SLACK_NANOS))
        .filter(Objects::nonNull).mapToLong(Long::longValue).max().orElse(0);
    Wait.until(FaultCluster.LIMIT, "every lapsed lease's TTL and slack passed", () -> System.nanoTime() - lapsed > 0);
    List<LeaseObservation> observed = new ArrayList<>();
    try {
      Wait.until(Duration.ofSeconds(30), () -> "the members converging on the lease keys: "
          + LeaseChecker.check(leases.records(), observed, SideHistory.LEASE_SLACK_NANOS, 3), () -> {
            observed.clear();
            for (Slot s : cluster.slots) observed.add(observeLeaseKeys(cluster, s));
            return LeaseChecker.check(leases.records(), observed, SideHistory.LEASE_SLACK_NANOS, 1).isEmpty();
          });
    } catch (AssertionError e) {
      // the lease checker reports what is wrong in the last observation
    }
    List<LeaseRecord> leaseRecords = leases.records();
    leases.stopKeeping();
    return new SideHistory(watch.events(), watch.spans(endRev), versions, watch.pairValues(), leaseRecords,
        List.copyOf(observed), locks.holdings(), locks.writes(), fence);
  }

  private static LeaseObservation observeLeaseKeys(FaultCluster cluster, Slot s) throws Exception {
    long at = System.nanoTime();
    RangeResponse r = FaultCluster.await(cluster.kv(s).range(RangeRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(LeaseWorkload.PREFIX)).setRangeEnd(ByteString.copyFromUtf8("lease0"))
        .setKeysOnly(true).setSerializable(true).build()));
    Set<String> present = new HashSet<>();
    r.getKvsList().forEach(kv -> present.add(kv.getKey().toStringUtf8()));
    return new LeaseObservation(s.hexId(), at, present);
  }

  private void inject(FaultCluster cluster, RegisterWorkload load, Fault f) throws Exception {
    Slot leader = cluster.awaitHealthy();
    Slot follower = cluster.follower(leader, random);
    long started = System.nanoTime();
    String what;
    switch (f) {
      case KILL_LEADER, KILL_FOLLOWER -> {
        Slot victim = f == Fault.KILL_LEADER ? leader : follower;
        what = f + "(" + victim.name + ")";
        cluster.kill(victim);
        holdAtLeast(cluster, load, 2, "down " + victim.name);
        if (f == Fault.KILL_LEADER) cluster.awaitLeader("a new leader after kill -9 of " + victim.name);
        cluster.restart(victim);
      }
      case PAUSE_MEMBER -> {
        Slot victim = random.nextBoolean() ? leader : follower;
        what = f + "(" + victim.name + (victim == leader ? ", leader" : "") + ")";
        cluster.pause(victim);
        holdAtLeast(cluster, load, 3, "SIGSTOP " + victim.name);
        cluster.resume(victim);
      }
      case PARTITION_FOLLOWER, PARTITION_LEADER -> {
        Slot victim = f == Fault.PARTITION_LEADER ? leader : follower;
        what = f + "(" + victim.name + ")";
        cluster.isolate(victim);
        holdAtLeast(cluster, load, 3, "isolated " + victim.name);
        cluster.heal();
      }
      case ONE_WAY_PARTITION -> {
        // the seed picks the direction: a follower that hears nothing from the leader (it campaigns) or a leader that
        // hears nothing from one follower (its acknowledgements and votes are lost, its heartbeats still arrive)
        boolean leaderDeaf = random.nextBoolean();
        Slot from = leaderDeaf ? follower : leader;
        Slot to = leaderDeaf ? leader : follower;
        what = f + "(" + from.name + " -/-> " + to.name + ")";
        cluster.cutOneWay(from, to);
        holdAtLeast(cluster, load, 3, "cut " + from.name + " -> " + to.name);
        cluster.heal();
      }
      case MOVE_LEADER -> {
        what = f + "(" + leader.name + " -> " + follower.name + ")";
        cluster.moveLeader(leader, follower);
        Wait.until(FaultCluster.LIMIT, follower.name + " leading", () -> cluster.agreedLeader() == follower);
      }
      case MEMBERSHIP -> {
        String old = follower.name;
        cluster.remove(follower);
        load.awaitMore(30, FaultCluster.LIMIT, "ops with two members");
        cluster.addBack(follower, promoteEarly);
        what = f + "(remove " + old + ", add " + follower.name + " as learner, promote" + (promoteEarly ? " early" : "")
            + ")";
      }
      case SLOW_DISK_LEADER, SLOW_DISK_FOLLOWER -> {
        Slot victim = f == Fault.SLOW_DISK_LEADER ? leader : follower;
        boolean stall = random.nextBoolean();
        int ms = stall ? between(STALL_MIN_MS, STALL_MAX_MS) : between(SLOW_DISK_MIN_MS, SLOW_DISK_MAX_MS);
        what = f + "(" + victim.name + ", " + (stall ? "stalled" : "slow") + " " + ms + " ms per fsync)";
        cluster.slowDisk(victim, ms);
        // a stall is held past one whole stalled force (and the election it causes on the leader)
        holdAtLeast(cluster, load, stall ? 2 + STALL_MAX_MS / (int) FaultCluster.ELECTION_MS : 3, what);
        cluster.slowDisk(victim, 0);
      }
      case SLOW_LINKS -> {
        boolean all = random.nextBoolean();
        Slot victim = random.nextBoolean() ? leader : follower;
        int ms = between(LINK_DELAY_MIN_MS, LINK_DELAY_MAX_MS);
        what = f + "(" + (all ? "all links" : "links of " + victim.name + (victim == leader ? ", leader" : "")) + ", +"
            + ms + " ms each way)";
        for (Slot s : all ? List.of(cluster.slots) : List.of(victim)) cluster.slowLinks(s, ms);
        holdAtLeast(cluster, load, 3, what);
        cluster.heal();
      }
      case LOSSY_LINKS -> {
        boolean all = random.nextBoolean();
        Slot victim = random.nextBoolean() ? leader : follower;
        double share = LINK_LOSS_MIN + random.nextDouble() * (LINK_LOSS_MAX - LINK_LOSS_MIN);
        what = f + "(" + (all ? "all links" : "links of " + victim.name + (victim == leader ? ", leader" : "")) + ", "
            + Math.round(share * 100) + " % of frames lost each way)";
        for (Slot s : all ? List.of(cluster.slots) : List.of(victim)) cluster.lossyLinks(s, share);
        holdAtLeast(cluster, load, 3, what);
        cluster.heal();
      }
      case DISK_FULL -> {
        // the store's next commit fails as on a full disk; the member must refuse everything from then on (its
        // in-flight requests' outcomes unknown, nothing acknowledged lost), and comes back once restarted with room
        Slot victim = random.nextBoolean() ? leader : follower;
        what = f + "(" + victim.name + (victim == leader ? ", leader" : "") + ")";
        cluster.fillDisk(victim, true);
        Wait.until(FaultCluster.LIMIT, victim.name + " refusing requests after its disk filled",
            () -> cluster.refusesAfterDiskFailure(victim));
        holdAtLeast(cluster, load, 3, what);
        cluster.kill(victim);
        cluster.fillDisk(victim, false);
        cluster.restart(victim);
      }
      default -> throw new IllegalStateException();
    }
    injected.add(what + "@" + (System.nanoTime() - started) / 1_000_000 + "ms");
  }

  private int between(int min, int max) {
    return min + random.nextInt(max - min + 1);
  }

  /** Holds a fault for at least {@code electionTimeouts} election timeouts (plus a seeded jitter) and 20 more ops. */
  private void holdAtLeast(FaultCluster cluster, RegisterWorkload load, int electionTimeouts, String what) {
    long holdMs = electionTimeouts * FaultCluster.ELECTION_MS + random.nextInt((int) FaultCluster.ELECTION_MS * 2);
    long from = System.nanoTime();
    int target = load.completed() + 20;
    Wait.until(FaultCluster.LIMIT, what + " for " + holdMs + " ms and 20 ops",
        () -> (System.nanoTime() - from) / 1_000_000 >= holdMs && load.completed() >= target);
  }

  /** A linearizable get of every key on every member, once everything is healed: part of the history. */
  private void finalReads(FaultCluster cluster, RegisterWorkload load, List<Op> history, List<String> problems) {
    for (Slot s : cluster.slots) {
      for (int k = 0; k < KEYS; k++) {
        String key = "k" + k;
        int id = load.nextId();
        long invoke = System.nanoTime();
        RangeResponse r;
        try {
          r = Wait.untilReturns(FaultCluster.LIMIT, "final read of " + key + " on " + s.name,
              () -> FaultCluster.await(cluster.kv(s).range(RangeRequest.newBuilder().setKey(RegisterWorkload.bytes(key)).build())));
        } catch (AssertionError e) {
          problems.add("final read of " + key + " on " + s + " failed: " + e.getMessage());
          continue;
        }
        var kv = r.getKvsCount() == 0 ? null : r.getKvs(0);
        history.add(new Op(id, -1, s.hexId(), Op.Kind.GET, key, null, null, 0, invoke, System.nanoTime(), Op.Outcome.OK,
            kv == null ? null : kv.getValue().toStringUtf8(), kv == null ? 0 : kv.getModRevision(),
            r.getHeader().getRevision()));
      }
    }
  }

  /** A read of the txn workload's whole group in one txn on every member, once everything is healed: part of its history. */
  private void finalGroupReads(FaultCluster cluster, TxnWorkload txns, List<TxnOp> history, List<String> problems) {
    for (Slot s : cluster.slots) {
      int id = txns.nextId();
      long invoke = System.nanoTime();
      TxnResponse r;
      try {
        r = Wait.untilReturns(FaultCluster.LIMIT, "final group read on " + s.name,
            () -> FaultCluster.await(cluster.kv(s).txn(TxnWorkload.readRequest())));
      } catch (AssertionError e) {
        problems.add("final group read on " + s + " failed: " + e.getMessage());
        continue;
      }
      history.add(TxnWorkload.readOp(id, -1, s.hexId(), invoke, System.nanoTime(), r));
    }
  }

  /** Every acknowledged write, read at its revision on every member, holds its value with that mod revision. */
  private void durability(FaultCluster cluster, List<Op> history, List<String> problems) throws Exception {
    List<Op> acked = history.stream().filter(Op::ackedWrite).toList();
    for (Slot s : cluster.slots) {
      int missing = 0;
      for (int from = 0; from < acked.size(); from += 64) {
        List<Op> batch = acked.subList(from, Math.min(acked.size(), from + 64));
        List<Future<RangeResponse>> reads = new ArrayList<>();
        for (Op w : batch) {
          reads.add(cluster.kv(s).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(w.key()))
              .setRevision(w.headerRev()).setSerializable(true).build()));
        }
        for (int i = 0; i < batch.size(); i++) {
          Op w = batch.get(i);
          RangeResponse r = reads.get(i).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
          boolean there = r.getKvsCount() == 1 && r.getKvs(0).getValue().toStringUtf8().equals(w.value())
              && r.getKvs(0).getModRevision() == w.headerRev();
          if (!there && missing++ < 10) {
            problems.add("acknowledged write missing on " + s + " at revision " + w.headerRev() + ": " + w + "; found "
                + (r.getKvsCount() == 0 ? "nothing" : r.getKvs(0).getValue().toStringUtf8() + "@" + r.getKvs(0).getModRevision()));
          }
        }
      }
    }
  }

  private Path writeHistory(List<Op> history, List<TxnOp> txnHistory, SideHistory side, RegisterChecker.Verdict verdict,
      TxnChecker.Verdict txnVerdict, List<String> problems) throws IOException {
    Files.createDirectories(historyDir);
    Path file = historyDir.resolve("fault-seed-" + seed + "-" + System.currentTimeMillis() + ".history");
    List<String> lines = new ArrayList<>();
    lines.add("# vkv fault run, seed " + seed + ", faults " + injected);
    // the recorded times are System.nanoTime(): this pair maps them onto the member logs' wall clock
    lines.add("# clock: nanoTime " + System.nanoTime() + " = " + java.time.Instant.now());
    for (String l : verdict.toString().split("\n")) lines.add("# " + l);
    for (String l : ("txn " + txnVerdict).split("\n")) lines.add("# " + l);
    for (String p : problems) lines.add("# problem: " + p.replace('\n', ' '));
    for (Op op : history) lines.add(op.toLine());
    lines.addAll(side.lines());
    txnHistory.forEach(t -> lines.add(t.toLine()));
    Files.write(file, lines);
    return file;
  }

  /**
   * The history with one final read (client -1) changed to read the value of an acknowledged write {@code a} that
   * another acknowledged write {@code b} on the key followed (a ended before b started, b before the read): a stale
   * read no linearization allows. Null if the history has no such pair.
   */
  static List<Op> withOneFinalReadStale(List<Op> history) {
    for (int i = 0; i < history.size(); i++) {
      Op r = history.get(i);
      if (r.client() != -1 || r.kind() != Op.Kind.GET) continue;
      List<Op> writes = history.stream().filter(o -> o.ackedWrite() && o.key().equals(r.key())
          && o.returnNanos() < r.invokeNanos()).toList();
      for (Op a : writes) {
        if (a.value().equals(r.result())) continue;
        for (Op b : writes) {
          if (a.returnNanos() < b.invokeNanos()) {
            List<Op> out = new ArrayList<>(history);
            out.set(i, new Op(r.id(), r.client(), r.member(), r.kind(), r.key(), null, null, 0, r.invokeNanos(),
                r.returnNanos(), Op.Outcome.OK, a.value(), a.headerRev(), r.headerRev()));
            return out;
          }
        }
      }
    }
    return null;
  }

  /** Reads a history file written by a failed run (lines starting with '#' are comments). */
  static List<Op> readHistory(Path file) throws IOException {
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank() && !l.startsWith("#") && !SideHistory.isSideLine(l))
        .map(Op::fromLine).toList();
  }

  static Duration electionTimeout() {
    return Duration.ofMillis(FaultCluster.ELECTION_MS);
  }
}
