package io.vkv.node.watch;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Future;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vkv.api.etcdserverpb.WatchCancelRequest;
import io.vkv.api.etcdserverpb.WatchCreateRequest;
import io.vkv.api.etcdserverpb.WatchGrpcClient;
import io.vkv.api.etcdserverpb.WatchProgressRequest;
import io.vkv.api.etcdserverpb.WatchRequest;
import io.vkv.api.etcdserverpb.WatchResponse;
import io.vkv.api.mvccpb.Event;
import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** One Watch stream for tests: responses are queued and read with deadlines. */
final class WatchTestClient {
  private final BlockingQueue<WatchResponse> responses = new LinkedBlockingQueue<>();
  private final CompletableFuture<WriteStream<WatchRequest>> requests = new CompletableFuture<>();
  private volatile ReadStream<WatchResponse> stream;

  /**
   * Opens a stream whose first request is {@code first}. The response stream only starts once the server has seen
   * a request (STACK.md pitfall 5), and its handler must be in place before the first response can arrive: so the
   * listener is registered first and the first request written after it, never the other way round.
   * With {@code paused} the responses are not read until {@link #resume()}.
   */
  static WatchTestClient open(WatchGrpcClient client, WatchRequest first, boolean paused) {
    WatchTestClient c = new WatchTestClient();
    Future<ReadStream<WatchResponse>> f = client.watch((req, err) -> {
      if (err != null) {
        c.requests.completeExceptionally(err);
        return;
      }
      c.requests.complete(req);
    });
    CompletableFuture<Void> ready = new CompletableFuture<>();
    f.onComplete(ar -> {
      if (ar.failed()) {
        ready.completeExceptionally(ar.cause());
        return;
      }
      ReadStream<WatchResponse> s = ar.result();
      if (paused) s.pause();
      s.handler(c.responses::add);
      c.stream = s;
      ready.complete(null);
    });
    c.send(first);
    try {
      ready.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("watch stream did not open", e);
    }
    return c;
  }

  static WatchRequest createRequest(WatchCreateRequest.Builder b) {
    return WatchRequest.newBuilder().setCreateRequest(b).build();
  }

  void send(WatchRequest r) {
    requests.join().write(r);
  }

  void create(WatchCreateRequest.Builder b) {
    send(createRequest(b));
  }

  void cancel(long id) {
    send(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(id)).build());
  }

  void requestProgress() {
    send(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
  }

  void resume() {
    stream.resume();
  }

  void close() {
    requests.join().end();
  }

  /** The next response, or fails after the timeout. */
  WatchResponse next(Duration timeout) {
    WatchResponse r = poll(timeout);
    assertNotNull(r, "no watch response within " + timeout);
    return r;
  }

  WatchResponse next() {
    return next(Duration.ofSeconds(10));
  }

  WatchResponse poll(Duration timeout) {
    try {
      return responses.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Reads responses until n events have arrived (they must all be for watchId), failing at the deadline. */
  List<Event> events(long watchId, int n, Duration timeout) {
    List<Event> out = new ArrayList<>();
    Wait.until(timeout, () -> n + " events, got " + out.size(), () -> {
      for (WatchResponse r; out.size() < n && (r = responses.poll()) != null; ) {
        if (r.getEventsCount() == 0) continue; // progress notifications
        if (r.getWatchId() != watchId) throw new AssertionError("events for watch " + r.getWatchId() + ": " + r);
        out.addAll(r.getEventsList());
      }
      return out.size() >= n;
    });
    return out;
  }

  int queued() {
    return responses.size();
  }
}
