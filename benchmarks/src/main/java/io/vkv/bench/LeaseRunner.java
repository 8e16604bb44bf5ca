package io.vkv.bench;

import static io.vkv.bench.RunSupport.address;
import static io.vkv.bench.RunSupport.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.SocketAddress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Runs lease-keepalive in three phases: every client grants its lease and opens its keep-alive stream with one
 * unmeasured renewal (bounded by --timeout); then the measured renewals, as many as --total/--duration allow;
 * then the streams are closed and the leases revoked (best effort, not measured). Connections: --conns per
 * endpoint, client i on connection i mod connections, connection c on event loop c mod loops.
 */
final class LeaseRunner {
  private static final Duration SETUP_LIMIT_WITHOUT_TIMEOUT = Duration.ofMinutes(5);

  private LeaseRunner() {
  }

  static Runner.Result run(Settings s, long ttlSeconds, PrintWriter progressOut) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(s.eventLoops()));
    try {
      List<LeaseVerticle> verticles = deploy(vertx, s, ttlSeconds);
      Duration setupLimit = s.timeout().isZero() ? SETUP_LIMIT_WITHOUT_TIMEOUT : s.timeout();
      await(Future.join(verticles.stream().map(LeaseVerticle::ready).toList()), setupLimit);

      RunState state = new RunState(s, System.nanoTime());
      CpuMonitor cpu = new CpuMonitor();
      cpu.start(verticles.stream().map(v -> v.thread).toList());
      Progress progress = progressOut == null ? null : Progress.start(vertx, state, progressOut);
      await(Future.all(verticles.stream().map(v -> v.begin(state)).toList()), Duration.ZERO);
      CpuMonitor.Usage usage = cpu.stop();
      if (progress != null) progress.stop();
      if (verticles.stream().mapToInt(v -> v.started).sum() == 0) { // nothing ran: no interval to measure
        usage = new CpuMonitor.Usage(0, 0, usage.cores());
      }

      long end = state.startNanos;
      Histogram merged = new Histogram(LoadVerticle.MAX_LATENCY_US, 3);
      for (LeaseVerticle v : verticles) {
        end = Math.max(end, v.lastCompletionNanos);
        merged.add(v.histogram);
      }
      // leases left behind would only expire after their TTL; revoking is courtesy, so bounded and unchecked
      await(Future.join(verticles.stream().map(LeaseVerticle::revokeAll).toList()), Duration.ofSeconds(5));
      return new Runner.Result("lease-keepalive", state.done.get(), state.errors.get(),
          (end - state.startNanos) / 1e9, merged, usage, List.copyOf(state.sampledErrors));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static List<LeaseVerticle> deploy(Vertx vertx, Settings s, long ttlSeconds) throws Exception {
    int connections = Math.min(s.clients(), s.conns() * s.endpoints().size());
    int loops = Math.max(1, Math.min(s.eventLoops(), connections));
    List<LeaseVerticle> verticles = new ArrayList<>();
    for (int v = 0; v < loops; v++) {
      List<SocketAddress> addresses = new ArrayList<>();
      List<Integer> clientsPerConnection = new ArrayList<>();
      for (int c = v; c < connections; c += loops) {
        addresses.add(address(s.endpoints().get(c % s.endpoints().size())));
        clientsPerConnection.add(s.clients() / connections + (c < s.clients() % connections ? 1 : 0));
      }
      verticles.add(new LeaseVerticle(addresses, clientsPerConnection, s.tls(), ttlSeconds, s.timeout()));
    }
    await(Future.all(verticles.stream().map(vertx::deployVerticle).toList()), Duration.ZERO);
    return verticles;
  }
}
