package io.vkv.bench;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vkv.api.etcdserverpb.WatchGrpcClient;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The watch streams of one event loop. Its connections are created and used only here, so each connection, its
 * streams and this verticle's latency histogram stay on one thread: no hops, no locks.
 */
final class WatchVerticle extends VerticleBase {
  private final WatchPlan plan;
  private final Keys keys;
  private final List<List<Integer>> streamsPerConnection;
  private final List<SocketAddress> addresses;
  private final ClientTls tls;
  private final WatchTally tally;
  private final List<HttpClient> httpClients = new ArrayList<>();
  private final Promise<Void> created = Promise.promise();
  private final Histogram histogram = new Histogram(LoadVerticle.MAX_LATENCY_US, 3);
  private long watchers;
  private volatile long createdCount;
  volatile Thread thread;
  volatile long events;
  volatile long lastEventNanos;

  /**
   * @param streamsPerConnection for each connection of this verticle, the stream numbers it carries
   * @param addresses for each connection, the endpoint it reaches
   * @param tls how the connections speak TLS, or null for plain text
   */
  WatchVerticle(WatchPlan plan, Keys keys, List<List<Integer>> streamsPerConnection, List<SocketAddress> addresses,
                ClientTls tls, WatchTally tally) {
    this.plan = plan;
    this.keys = keys;
    this.streamsPerConnection = streamsPerConnection;
    this.addresses = addresses;
    this.tls = tls;
    this.tally = tally;
  }

  @Override
  public Future<?> start() {
    thread = Thread.currentThread();
    for (int c = 0; c < streamsPerConnection.size(); c++) {
      List<WatchStreamClient> streams = new ArrayList<>();
      for (int s : streamsPerConnection.get(c)) {
        List<ByteString> streamKeys = new ArrayList<>();
        for (int w = plan.firstWatcherOf(s); w < plan.firstWatcherOf(s + 1); w++) {
          streamKeys.add(keys.encode(plan.keyOf(w)));
        }
        watchers += streamKeys.size();
        streams.add(new WatchStreamClient(this, streamKeys));
      }
      if (streams.isEmpty()) continue;
      WatchGrpcClient client = WatchGrpcClient.create(connection(), addresses.get(c));
      // the first stream opens the connection; the others then share it instead of racing to dial their own
      streams.get(0).open(client, () -> {
        for (int i = 1; i < streams.size(); i++) streams.get(i).open(client, () -> { });
      });
    }
    if (watchers == 0) created.tryComplete();
    return Future.succeededFuture();
  }

  /** A client whose pool holds exactly one HTTP/2 connection. */
  private GrpcClient connection() {
    HttpClientOptions options = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setTcpNoDelay(true).setHttp2ConnectionWindowSize(4 * 1024 * 1024);
    if (tls != null) tls.applyTo(options);
    HttpClient http = vertx.httpClientBuilder()
        .with(options)
        .with(new PoolOptions().setHttp2MaxSize(1))
        .withConnectHandler(conn -> tally.connections.incrementAndGet())
        .build();
    httpClients.add(http);
    return GrpcClient.client(vertx, http);
  }

  /** Completes when every watcher of this verticle has its created response. */
  Future<Void> created() {
    return created.future();
  }

  long watchers() {
    return watchers;
  }

  void watcherCreated() {
    if (++createdCount == watchers) created.tryComplete();
  }

  long createdCount() {
    return createdCount;
  }

  /** A copy of the latency histogram, taken on this loop (the only thread that writes it). */
  Future<Histogram> histogramCopy() {
    Promise<Histogram> copy = Promise.promise();
    context.runOnContext(v -> copy.complete(histogram.copy()));
    return copy.future();
  }

  void eventReceived(long now, long sentNanos) {
    if (sentNanos == Long.MIN_VALUE) return; // not one of our puts: counted, but has no send time
    histogram.recordValue(Math.min(LoadVerticle.MAX_LATENCY_US, Math.max(1, (now - sentNanos) / 1000)));
  }

  void eventsCounted(int n, long now) {
    events += n;
    lastEventNanos = now;
    tally.eventsArrived(n);
  }

  void streamFailed(String message) {
    tally.error(message);
  }

  @Override
  public Future<?> stop() {
    return Future.join(httpClients.stream().map(HttpClient::close).toList());
  }
}
