package io.vkv.node.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vkv.node.apply.Proposer;
import io.vkv.node.cluster.Membership;
import io.vkv.store.MvccReader;
import io.vkv.watch.WatchHub;
import io.micrometer.core.instrument.DistributionSummary;
import io.vkv.node.apply.WriteStages;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The node's Prometheus metrics, under etcd's names where etcd has the metric, so existing etcd dashboards and
 * alerts read vkv unchanged. Gauges are read when scraped; the histograms of the write path (WAL fsync, peer round
 * trips and the {@link WriteStages} under {@code vkv_} names, where etcd has no metric) are recorded as it happens.
 */
public final class NodeMetrics implements WriteStages {
  /** etcd's buckets for etcd_disk_wal_fsync_duration_seconds: 1 ms doubling to 8.192 s. */
  private static final Duration[] FSYNC_BUCKETS = doubling(Duration.ofMillis(1), 14);
  /** etcd's buckets for etcd_network_peer_round_trip_time_seconds: 0.1 ms doubling to 3.2768 s. */
  private static final Duration[] ROUND_TRIP_BUCKETS = doubling(Duration.ofNanos(100_000), 16);
  /** The write stages take from microseconds (a hand-off) to seconds (an overloaded disk): 10 µs doubling to 5.2 s. */
  private static final Duration[] STAGE_BUCKETS = doubling(Duration.ofNanos(10_000), 20);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer walFsync = Timer.builder("etcd.disk.wal.fsync.duration")
      .description("The latency distributions of fsync called by WAL.")
      .serviceLevelObjectives(FSYNC_BUCKETS)
      .register(registry);
  private final Map<Stage, Timer> stages = stageTimers();
  private final Map<Long, Timer> roundTrips = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong learnerPromotions = new java.util.concurrent.atomic.AtomicLong();
  private final DistributionSummary entriesPerReady = DistributionSummary.builder("vkv.raft.ready.entries")
      .description("New log entries per Raft Ready (how many proposals one WAL append carried).")
      .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096)
      .register(registry);

  /** For {@code WalConfig.withFsyncNanos}: called on the WAL writer thread once per forced batch. */
  public LongConsumer walFsyncNanos() {
    return nanos -> walFsync.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A learner was promoted on this member's request (etcd counts on the member the call came to, vkv on the leader). */
  public void learnerPromoted() {
    learnerPromotions.incrementAndGet();
  }

  /** Registers the gauges that read the running node. */
  public void bind(Proposer proposer, Membership membership, MvccReader store, WatchHub hub) {
    ProcessMetrics.bind(registry);
    Gauge.builder("etcd.server.is.learner", membership, m -> m.localIsLearner() ? 1 : 0)
        .description("Whether or not this member is a learner. 1 if is, 0 otherwise.").register(registry);
    // a gauge: Micrometer's Prometheus registry would name a counter ..._total, etcd's has no suffix
    Gauge.builder("etcd.server.learner.promote.successes", learnerPromotions, java.util.concurrent.atomic.AtomicLong::get)
        .description("The total number of successful learner promotions while this member is leader.")
        .register(registry);
    Gauge.builder("etcd.server.has.leader", proposer, p -> p.leaderId() != 0 ? 1 : 0)
        .description("Whether or not a leader exists. 1 is existence, 0 is not.").register(registry);
    Gauge.builder("etcd.server.is.leader", proposer, p -> p.leaderId() == membership.localId() ? 1 : 0)
        .description("Whether or not this member is a leader. 1 if is, 0 otherwise.").register(registry);
    FunctionCounter.builder("etcd.server.proposals.applied", proposer, Proposer::appliedIndex)
        .description("The total number of consensus proposals applied.").register(registry);
    Gauge.builder("etcd.server.term", proposer, Proposer::term).description("The raft term.").register(registry);
    Gauge.builder("etcd.mvcc.db.total.size.in.bytes", store, MvccReader::dbSize)
        .description("Total size of the underlying database physically allocated in bytes.").register(registry);
    Gauge.builder("etcd.mvcc.db.total.size.in.use.in.bytes", store, MvccReader::dbSizeInUse)
        .description("Total size of the underlying database logically in use in bytes.").register(registry);
    Gauge.builder("etcd.debugging.mvcc.current.revision", store, MvccReader::currentRevision)
        .description("The current revision of store.").register(registry);
    Gauge.builder("etcd.debugging.mvcc.compact.revision", store, MvccReader::compactedRevision)
        .description("The revision of the last compaction in store.").register(registry);
    Gauge.builder("etcd.debugging.auth.revision", store, s -> s.auth().revision())
        .description("The current revision of auth store.").register(registry);
    // etcd's names end in _total; Prometheus' Java client keeps that suffix for counters only, so these two gauges
    // are typed as counters to keep the names dashboards use
    FunctionCounter.builder("etcd.debugging.mvcc.watcher", hub, h -> h.syncedCount() + h.unsyncedCount() + h.victimCount())
        .description("Total number of watchers.").register(registry);
    FunctionCounter.builder("etcd.debugging.mvcc.slow.watcher", hub, h -> h.unsyncedCount() + h.victimCount())
        .description("Total number of unsynced slow watchers.").register(registry);
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void record(Stage stage, long nanos) {
    stages.get(stage).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void peerRoundTrip(long peerId, long nanos) {
    roundTrips.computeIfAbsent(peerId, id -> Timer.builder("etcd.network.peer.round.trip.time")
        .description("Round-Trip-Time histogram between peers (here: log entries sent until acknowledged durable).")
        .tag("To", Long.toHexString(id))
        .serviceLevelObjectives(ROUND_TRIP_BUCKETS)
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void entriesPerReady(int entries) {
    entriesPerReady.record(entries);
  }

  private Map<Stage, Timer> stageTimers() {
    Map<Stage, Timer> timers = new EnumMap<>(Stage.class);
    timers.put(Stage.INTAKE_WAIT, stage("vkv.raft.intake.wait", "From a client's write until the Raft loop proposes it."));
    timers.put(Stage.PERSIST, stage("vkv.raft.persist.duration", "One Raft Ready made durable in the WAL (append, fsync, hand-offs)."));
    timers.put(Stage.COMMIT, stage("vkv.raft.commit.duration", "From the Ready carrying an entry until it is committed."));
    timers.put(Stage.APPLY_WAIT, stage("vkv.apply.wait", "From committed until the applier thread starts on the batch."));
    timers.put(Stage.APPLY, stage("vkv.apply.duration", "One batch of committed entries applied to the store."));
    timers.put(Stage.REPLY, stage("vkv.reply.wait", "From the applied result until the client's event loop completes the call."));
    timers.put(Stage.READ_INDEX, stage("vkv.read.index.wait",
        "A linearizable read, from the Raft loop taking it until its ReadIndex is confirmed and applied."));
    return timers;
  }

  private Timer stage(String name, String description) {
    return Timer.builder(name).description(description).serviceLevelObjectives(STAGE_BUCKETS).register(registry);
  }

  private static Duration[] doubling(Duration first, int count) {
    Duration[] b = new Duration[count];
    for (int i = 0; i < count; i++) b[i] = first.multipliedBy(1L << i);
    return b;
  }
}
