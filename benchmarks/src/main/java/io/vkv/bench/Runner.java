package io.vkv.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vkv.client.KvClient;
import io.vkv.client.VkvClient;
import io.vkv.client.VkvClientOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Runs one workload: a Vert.x instance with {@code eventLoops} loops, one verticle per loop, the clients spread
 * evenly over them, all sharing one {@link VkvClient} with {@code conns} HTTP/2 connections per endpoint.
 */
final class Runner {
  /** What one run measured; {@code histogram} holds successful request latencies in microseconds. */
  record Result(String workload, long ops, long errors, double durationSeconds, Histogram histogram,
                CpuMonitor.Usage usage, List<String> sampledErrors) {
  }

  private Runner() {
  }

  static Result run(Settings s, Function<KvClient, Workload> workloads, PrintWriter progressOut) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(s.eventLoops()));
    try {
      VkvClientOptions options = new VkvClientOptions()
          .setEndpoints(s.endpoints())
          .setConnections(s.conns())
          .setCallTimeout(s.timeout());
      if (s.user() != null) options.setUser(s.user()).setPassword(s.password());
      if (s.tls() != null) s.tls().applyTo(options);
      VkvClient client = VkvClient.create(vertx, options);
      Handshakes.completeBeforeMeasuring(client, s, s.conns());
      Workload workload = workloads.apply(client.kv());
      int loops = Math.max(1, Math.min(s.eventLoops(), s.clients()));
      RunState state = new RunState(s, System.nanoTime());
      List<LoadVerticle> verticles = new ArrayList<>();
      List<Future<String>> deployed = new ArrayList<>();
      for (int i = 0; i < loops; i++) {
        LoadVerticle v = new LoadVerticle(workload, state, s.clients() / loops + (i < s.clients() % loops ? 1 : 0));
        verticles.add(v);
        deployed.add(vertx.deployVerticle(v));
      }
      await(Future.all(deployed));
      CpuMonitor cpu = new CpuMonitor();
      cpu.start(verticles.stream().map(v -> v.thread).toList());
      Progress progress = progressOut == null ? null : Progress.start(vertx, state, progressOut);
      await(Future.all(verticles.stream().map(LoadVerticle::finished).toList()));
      CpuMonitor.Usage usage = cpu.stop();
      if (progress != null) progress.stop();

      long end = state.startNanos;
      Histogram merged = new Histogram(LoadVerticle.MAX_LATENCY_US, 3);
      for (LoadVerticle v : verticles) {
        end = Math.max(end, v.lastCompletionNanos);
        merged.add(v.histogram);
      }
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return new Result(workload.name(), state.done.get(), state.errors.get(), (end - state.startNanos) / 1e9, merged,
          usage, List.copyOf(state.sampledErrors));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Waits on the main thread, which has nothing else to do; bounded by --total/--duration and --timeout. */
  private static void await(Future<?> f) throws Exception {
    f.toCompletionStage().toCompletableFuture().get();
  }
}
