package io.vkv.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vkv.api.etcdserverpb.LeaseGrpcClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * The lease-keepalive clients of one event loop and their connections (one HTTP/2 connection each). Everything
 * here runs on this verticle's thread, latencies included: no locks. The loop of each client is the same as
 * {@link LoadVerticle}'s: claim a request number from the shared {@link RunState}, wait for its --rate slot, send,
 * and claim the next when the response arrives.
 */
final class LeaseVerticle extends VerticleBase {
  private final List<SocketAddress> addresses;
  private final List<Integer> clientsPerConnection;
  private final ClientTls tls;
  private final long ttlSeconds;
  private final long timeoutNanos;
  private final List<HttpClient> httpClients = new ArrayList<>();
  private final List<KeepAliveClient> clients = new ArrayList<>();
  private final Promise<Void> ready = Promise.promise();
  private final Promise<Void> finished = Promise.promise();
  final Histogram histogram = new Histogram(LoadVerticle.MAX_LATENCY_US, 3);
  private RunState state;
  private int running;
  private long watchdog = -1;
  volatile Thread thread;
  volatile long lastCompletionNanos;
  volatile int started;

  /**
   * @param addresses the endpoint of each connection of this verticle
   * @param clientsPerConnection how many clients ride each of those connections
   * @param tls how the connections speak TLS, or null for plain text
   */
  LeaseVerticle(List<SocketAddress> addresses, List<Integer> clientsPerConnection, ClientTls tls, long ttlSeconds,
                Duration timeout) {
    this.addresses = addresses;
    this.clientsPerConnection = clientsPerConnection;
    this.tls = tls;
    this.ttlSeconds = ttlSeconds;
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public Future<?> start() {
    thread = Thread.currentThread();
    List<Future<Void>> setups = new ArrayList<>();
    for (int c = 0; c < addresses.size(); c++) {
      LeaseGrpcClient grpc = LeaseGrpcClient.create(connection(), addresses.get(c));
      List<KeepAliveClient> onConnection = new ArrayList<>();
      for (int i = 0; i < clientsPerConnection.get(c); i++) onConnection.add(new KeepAliveClient(this, grpc));
      clients.addAll(onConnection);
      if (onConnection.isEmpty()) continue;
      // the first client dials the connection; the others then share it instead of racing to dial their own
      Future<Void> first = onConnection.get(0).setup(ttlSeconds);
      setups.add(first);
      for (KeepAliveClient k : onConnection.subList(1, onConnection.size())) {
        setups.add(first.transform(ar -> k.setup(ttlSeconds)));
      }
    }
    Future.join(setups).onComplete(ar -> ready.tryComplete());
    return Future.succeededFuture();
  }

  /** A client whose pool holds exactly one HTTP/2 connection. */
  private GrpcClient connection() {
    HttpClientOptions options = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setTcpNoDelay(true);
    if (tls != null) tls.applyTo(options);
    HttpClient http = vertx.httpClientBuilder()
        .with(options)
        .with(new PoolOptions().setHttp2MaxSize(1))
        .build();
    httpClients.add(http);
    return GrpcClient.client(vertx, http);
  }

  /** Completes when every client has its lease and open stream, or has failed to get them. */
  Future<Void> ready() {
    return ready.future();
  }

  /**
   * Starts the measured loops and completes when they have all stopped. Clients that failed their setup count
   * one error each; clients still setting up (the runner stopped waiting at --timeout) are abandoned as errors.
   */
  Future<Void> begin(RunState runState) {
    context.runOnContext(v -> {
      state = runState;
      List<KeepAliveClient> starting = new ArrayList<>();
      for (KeepAliveClient k : clients) {
        if (k.setupError != null) {
          state.failed(k.setupError);
        } else if (k.phase() == KeepAliveClient.Phase.SETUP) {
          k.stop();
          state.failed(new TimeoutException("lease not granted or keep-alive stream not open within --timeout"));
        } else if (k.phase() == KeepAliveClient.Phase.READY) {
          starting.add(k);
        }
      }
      running = starting.size();
      started = running;
      if (running == 0) {
        finished.tryComplete();
        return;
      }
      if (timeoutNanos > 0) {
        long every = Math.max(10, Math.min(1000, timeoutNanos / 4_000_000));
        watchdog = vertx.setPeriodic(every, id -> expireSlowRenewals());
      }
      for (KeepAliveClient k : starting) {
        k.start();
        next(k);
      }
    });
    return finished.future();
  }

  private void next(KeepAliveClient k) {
    long op = state.claim();
    if (op < 0) {
      k.stop();
      clientStopped();
      return;
    }
    long wait = state.dueNanos(op) - System.nanoTime();
    if (wait > 1_000_000) {
      vertx.setTimer(wait / 1_000_000, id -> k.send());
    } else {
      k.send();
    }
  }

  /** A renewal's response: recorded (or counted as an error when the lease was gone), then the next renewal. */
  void renewed(KeepAliveClient k, long sentNanos, long now, Throwable error) {
    lastCompletionNanos = now;
    if (error == null) {
      histogram.recordValue(Math.min(LoadVerticle.MAX_LATENCY_US, Math.max(1, (now - sentNanos) / 1000)));
      state.done.incrementAndGet();
    } else {
      state.failed(error);
    }
    next(k);
  }

  void clientFailed(Throwable t) {
    lastCompletionNanos = System.nanoTime();
    state.failed(t);
    clientStopped();
  }

  private void expireSlowRenewals() {
    long now = System.nanoTime();
    for (KeepAliveClient k : clients) {
      if (k.timedOut(now, timeoutNanos)) {
        clientFailed(new TimeoutException("no keep-alive response within --timeout"));
      }
    }
  }

  private void clientStopped() {
    if (--running > 0) return;
    if (watchdog >= 0) vertx.cancelTimer(watchdog);
    clients.forEach(KeepAliveClient::close);
    finished.tryComplete();
  }

  /** Revokes every granted lease; completes when all revocations have answered. */
  Future<Void> revokeAll() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> Future.join(clients.stream().map(KeepAliveClient::revoke).toList())
        .onComplete(ar -> done.tryComplete()));
    return done.future();
  }

  @Override
  public Future<?> stop() {
    return Future.join(httpClients.stream().map(HttpClient::close).toList());
  }
}
