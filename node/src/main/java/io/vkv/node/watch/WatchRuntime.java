package io.vkv.node.watch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vkv.node.apply.Applier;
import io.vkv.store.MvccReader;
import io.vkv.watch.WatchHub;
import io.vkv.watch.WatchHubConfig;
import io.vkv.watch.WatchSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drives the watch hub for a node: feeds it applied batches, runs catch-up rounds off the event loops, retries
 * parked watchers, and ticks the open streams for progress notifications and deferred progress requests.
 * The hub itself stays a plain class; this is only the schedule around it.
 */
public final class WatchRuntime {
  private static final Logger LOG = Logger.getLogger(WatchRuntime.class.getName());
  /** etcd runs syncWatchers every 100 ms. */
  static final long SYNC_INTERVAL_MS = 100;
  static final long VICTIM_RETRY_MS = 10;
  /**
   * Back-to-back rounds per tick while work remains: a round reads at most syncChunkEvents, so this bounds
   * catch-up speed (about 80k events/s) and the cost of re-reading for a stalled stream alike.
   */
  private static final int MAX_ROUNDS_PER_RUN = 8;

  private final WatchHub hub;
  private final long progressIntervalMs;
  private final Set<WatchStream> streams = ConcurrentHashMap.newKeySet();
  private final Set<WatchStream> awaitingProgress = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean syncScheduled = new AtomicBoolean();
  /** Held by a catch-up run; close() takes it so that no round reads the store after it is closed. */
  private final ReentrantLock runGate = new ReentrantLock();
  private final List<Long> timers = new ArrayList<>();
  private volatile Vertx vertx;
  private volatile boolean closed;

  WatchRuntime(WatchHub hub, long progressIntervalMs) {
    this.hub = hub;
    this.progressIntervalMs = progressIntervalMs;
  }

  /**
   * Creates the hub at the store's current revision and hooks it to the applier. Call before the applier applies
   * anything more (the hub must see every revision after the one it starts at).
   */
  public static WatchRuntime attach(MvccReader store, Applier applier, long progressIntervalMs) {
    WatchHub hub = new WatchHub(new StoreWatchHistory(store), WatchHubConfig.forMemory(Runtime.getRuntime().maxMemory()));
    applier.addListener(new HubFeeder(hub));
    applier.addRestoreListener(hub::rebase);
    return new WatchRuntime(hub, progressIntervalMs);
  }

  public WatchHub hub() {
    return hub;
  }

  /** Starts the timers. */
  public synchronized void start(Vertx vertx) {
    this.vertx = vertx;
    timers.add(vertx.setPeriodic(SYNC_INTERVAL_MS, id -> {
      requestSync();
      awaitingProgress.forEach(WatchStream::retryProgress);
    }));
    timers.add(vertx.setPeriodic(VICTIM_RETRY_MS, id -> {
      if (hub.victimCount() > 0) hub.retryVictims();
    }));
    timers.add(vertx.setPeriodic(progressIntervalMs, id -> streams.forEach(WatchStream::progressTick)));
  }

  /** Stops the timers and waits for a running catch-up round; blocks, so call it off the event loops. */
  public void close() {
    synchronized (this) {
      closed = true;
      if (vertx != null) timers.forEach(vertx::cancelTimer);
      timers.clear();
    }
    runGate.lock();
    runGate.unlock();
  }

  /** Ends every open Watch stream: call before the servers close, which otherwise wait for these to end. */
  public Future<Void> shutdownStreams() {
    return Future.all(new ArrayList<>(streams).stream().map(WatchStream::shutdown).toList()).mapEmpty();
  }

  /** Schedules catch-up rounds on a worker soon, unless one is already scheduled or nothing is behind. */
  void requestSync() {
    Vertx v = vertx;
    if (v == null || closed || hub.unsyncedCount() == 0 || !syncScheduled.compareAndSet(false, true)) return;
    v.executeBlocking(this::runRounds, false).onComplete(ar -> {
      syncScheduled.set(false);
      if (ar.failed()) LOG.log(Level.WARNING, "watch catch-up round failed", ar.cause());
    });
  }

  private Void runRounds() {
    runGate.lock();
    try {
      for (int i = 0; i < MAX_ROUNDS_PER_RUN && !closed; i++) {
        if (!hub.syncUnsynced()) break;
      }
      return null;
    } finally {
      runGate.unlock();
    }
  }

  /** A stream drained: its parked watchers are retried now rather than on the next tick. */
  void onWritable(WatchSink sink) {
    hub.onWritable(sink);
  }

  void register(WatchStream s) {
    streams.add(s);
  }

  void unregister(WatchStream s) {
    streams.remove(s);
    awaitingProgress.remove(s);
  }

  void awaitProgress(WatchStream s, boolean waiting) {
    if (waiting) awaitingProgress.add(s);
    else awaitingProgress.remove(s);
  }
}
