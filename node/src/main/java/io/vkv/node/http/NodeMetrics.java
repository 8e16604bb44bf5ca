package io.vkv.node.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vkv.node.apply.Proposer;
import io.vkv.node.cluster.Membership;
import io.vkv.store.MvccStore;
import io.vkv.watch.WatchHub;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The node's Prometheus metrics, under etcd's names where etcd has the metric, so existing etcd dashboards and
 * alerts read vkv unchanged. Values are read when scraped; only the WAL fsync histogram is recorded as it happens.
 */
public final class NodeMetrics {
  /** etcd's buckets for etcd_disk_wal_fsync_duration_seconds: 1 ms doubling to 8.192 s. */
  private static final Duration[] FSYNC_BUCKETS = fsyncBuckets();

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer walFsync = Timer.builder("etcd.disk.wal.fsync.duration")
      .description("The latency distributions of fsync called by WAL.")
      .serviceLevelObjectives(FSYNC_BUCKETS)
      .register(registry);

  /** For {@code WalConfig.withFsyncNanos}: called on the WAL writer thread once per forced batch. */
  public LongConsumer walFsyncNanos() {
    return nanos -> walFsync.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Registers the gauges that read the running node. */
  public void bind(Proposer proposer, Membership membership, MvccStore store, WatchHub hub) {
    Gauge.builder("etcd.server.has.leader", proposer, p -> p.leaderId() != 0 ? 1 : 0)
        .description("Whether or not a leader exists. 1 is existence, 0 is not.").register(registry);
    Gauge.builder("etcd.server.is.leader", proposer, p -> p.leaderId() == membership.localId() ? 1 : 0)
        .description("Whether or not this member is a leader. 1 if is, 0 otherwise.").register(registry);
    FunctionCounter.builder("etcd.server.proposals.applied", proposer, Proposer::appliedIndex)
        .description("The total number of consensus proposals applied.").register(registry);
    Gauge.builder("etcd.server.term", proposer, Proposer::term).description("The raft term.").register(registry);
    Gauge.builder("etcd.mvcc.db.total.size.in.bytes", store, MvccStore::dbSize)
        .description("Total size of the underlying database physically allocated in bytes.").register(registry);
    Gauge.builder("etcd.mvcc.db.total.size.in.use.in.bytes", store, MvccStore::dbSizeInUse)
        .description("Total size of the underlying database logically in use in bytes.").register(registry);
    Gauge.builder("etcd.debugging.mvcc.current.revision", store, MvccStore::currentRevision)
        .description("The current revision of store.").register(registry);
    Gauge.builder("etcd.debugging.mvcc.compact.revision", store, MvccStore::compactedRevision)
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

  private static Duration[] fsyncBuckets() {
    Duration[] b = new Duration[14];
    for (int i = 0; i < b.length; i++) b[i] = Duration.ofMillis(1L << i);
    return b;
  }
}
