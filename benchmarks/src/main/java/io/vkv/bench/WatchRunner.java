package io.vkv.bench;

import static io.vkv.bench.RunSupport.address;
import static io.vkv.bench.RunSupport.await;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.SocketAddress;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.client.KvClient;
import io.vkv.client.VkvClient;
import io.vkv.client.VkvClientOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Runs a watch workload in three phases: open the streams and wait until every watcher is created; put on the
 * watched keys (the put clients are {@link LoadVerticle}s, each value stamped with its send time); wait until every
 * expected event has arrived, or {@code --timeout} after the last put. Missing events are the errors.
 */
final class WatchRunner {
  /** A watch run: the usual result (ops = events received, errors = missing events) plus the watch specifics. */
  record Result(Runner.Result base, WatchPlan plan, long expected, int connections, double createSeconds,
                long putsDone, long putErrors) {
  }

  private WatchRunner() {
  }

  static Result run(Settings s, WatchPlan plan, int keySize, int valSize, PrintWriter err) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(s.eventLoops()));
    try {
      Keys keys = new Keys(keySize, plan.watchedKeys(), true);
      WatchTally tally = new WatchTally(plan.expectedEvents());
      List<WatchVerticle> watchers = deployWatchers(vertx, s, plan, keys, tally);

      long createStart = System.nanoTime();
      boolean allCreated = await(Future.all(watchers.stream().map(WatchVerticle::created).toList()), s.timeout());
      double createSeconds = (System.nanoTime() - createStart) / 1e9;
      long created = watchers.stream().mapToLong(WatchVerticle::createdCount).sum();
      err.printf(Locale.ROOT, "%s: %,d of %,d watchers created on %,d streams over %d connection(s) in %.2f s%n",
          plan.workload(), created, plan.watchers(), plan.streams(), tally.connections.get(), createSeconds);
      err.flush();
      if (!allCreated) {
        tally.error(String.format(Locale.ROOT, "only %d of %d watchers created within --timeout %s; no puts sent",
            created, plan.watchers(), s.timeout()));
        return result(plan, tally, watchers, List.of(), null, new CpuMonitor.Usage(0, 0, 1), createSeconds, 0);
      }
      if (!plan.idleAfterCreate().isZero()) Thread.sleep(plan.idleAfterCreate().toMillis()); // asked for: an idle window

      int putConns = Math.max(1, Math.min(s.conns(), plan.putClients()));
      VkvClientOptions putOptions = new VkvClientOptions()
          .setEndpoints(s.endpoints())
          .setConnections(putConns)
          .setCallTimeout(s.timeout());
      if (s.tls() != null) s.tls().applyTo(putOptions);
      VkvClient client = VkvClient.create(vertx, putOptions);
      Handshakes.completeBeforeMeasuring(client, s, putConns);
      Settings putSettings = new Settings(s.endpoints(), s.conns(), plan.putClients(), plan.puts(), null,
          plan.putRate(), s.timeout(), s.eventLoops(), null, null, null, null, s.tls());
      RunState puts = new RunState(putSettings, System.nanoTime());
      List<LoadVerticle> putters = deployPutters(vertx, plan, putWorkload(client.kv(), keys, valSize), puts,
          s.eventLoops());
      CpuMonitor cpu = new CpuMonitor();
      Set<Thread> loops = new LinkedHashSet<>();
      watchers.forEach(w -> loops.add(w.thread));
      putters.forEach(p -> loops.add(p.thread));
      cpu.start(List.copyOf(loops));
      long progress = err != null && System.console() != null
          ? vertx.setPeriodic(1000, id -> progress(err, tally, puts, plan)) : -1;

      await(Future.all(putters.stream().map(LoadVerticle::finished).toList()), Duration.ZERO);
      await(tally.allEvents.future(), s.timeout());
      CpuMonitor.Usage usage = cpu.stop();
      if (progress >= 0) {
        vertx.cancelTimer(progress);
        err.print("\r\033[K");
      }
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      for (String e : puts.sampledErrors) tally.error("put failed: " + e);
      return result(plan, tally, watchers, putters, puts, usage, createSeconds, puts.startNanos);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** One verticle per event loop (at most one per connection), streams and connections dealt round-robin. */
  private static List<WatchVerticle> deployWatchers(Vertx vertx, Settings s, WatchPlan plan, Keys keys,
                                                    WatchTally tally) throws Exception {
    int conns = Math.min(plan.streams(), plan.connections(s.conns()));
    int n = Math.max(1, Math.min(s.eventLoops(), conns));
    List<WatchVerticle> verticles = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      // stream st rides connection st % conns; connection c belongs to verticle c % n and reaches endpoint c % E
      List<List<Integer>> streams = new ArrayList<>();
      List<SocketAddress> addresses = new ArrayList<>();
      for (int c = v; c < conns; c += n) {
        List<Integer> onConn = new ArrayList<>();
        for (int st = c; st < plan.streams(); st += conns) onConn.add(st);
        streams.add(onConn);
        addresses.add(address(s.endpoints().get(c % s.endpoints().size())));
      }
      verticles.add(new WatchVerticle(plan, keys, streams, addresses, s.tls(), tally));
    }
    await(Future.all(verticles.stream().map(vertx::deployVerticle).toList()), Duration.ZERO);
    return verticles;
  }

  private static List<LoadVerticle> deployPutters(Vertx vertx, WatchPlan plan, Workload workload, RunState state,
                                                  int eventLoops) throws Exception {
    int loops = Math.max(1, Math.min(eventLoops, plan.putClients()));
    List<LoadVerticle> putters = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      putters.add(new LoadVerticle(workload, state, plan.putClients() / loops + (i < plan.putClients() % loops ? 1 : 0)));
    }
    await(Future.all(putters.stream().map(vertx::deployVerticle).toList()), Duration.ZERO);
    return putters;
  }

  /** Put j writes watched key j % watchedKeys; the value carries the send time. */
  private static Workload putWorkload(KvClient kv, Keys keys, int valSize) {
    return Workloads.of("watch-put", op -> {
      ByteString key = keys.forOp(op);
      return kv.put(PutRequest.newBuilder().setKey(key).setValue(TimestampValue.now(valSize)).build());
    });
  }

  private static Result result(WatchPlan plan, WatchTally tally, List<WatchVerticle> watchers,
                               List<LoadVerticle> putters, RunState puts, CpuMonitor.Usage usage,
                               double createSeconds, long startNanos) throws Exception {
    Histogram merged = new Histogram(LoadVerticle.MAX_LATENCY_US, 3);
    long end = startNanos;
    for (WatchVerticle w : watchers) {
      merged.add(w.histogramCopy().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
      if (w.events > 0) end = Math.max(end, w.lastEventNanos);
    }
    for (LoadVerticle p : putters) end = Math.max(end, p.lastCompletionNanos);
    long events = tally.events();
    long expected = plan.expectedEvents();
    Runner.Result base = new Runner.Result(plan.workload(), events, Math.max(0, expected - events),
        (end - startNanos) / 1e9, merged, usage, List.copyOf(tally.sampledErrors));
    return new Result(base, plan, expected, tally.connections.get(), createSeconds,
        puts == null ? 0 : puts.done.get(), puts == null ? 0 : puts.errors.get());
  }

  private static void progress(PrintWriter err, WatchTally tally, RunState puts, WatchPlan plan) {
    err.printf(Locale.ROOT, "\r%,12d events of %,d  %,10d puts of %,d  %6.1fs ", tally.events(),
        plan.expectedEvents(), puts.done.get(), plan.puts(), (System.nanoTime() - puts.startNanos) / 1e9);
    err.flush();
  }
}
