package io.vkv.node.watch;

import io.vertx.core.Future;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vkv.api.etcdserverpb.WatchGrpcClient;
import io.vkv.api.etcdserverpb.WatchRequest;
import io.vkv.api.etcdserverpb.WatchResponse;
import io.vkv.api.mvccpb.Event;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A watch stream that keeps no events, only a tally: how many arrived, whether their revisions only went up, and the
 * longest put-to-event delay, read from values that start with the writer's {@code System.nanoTime()}. Lets a test
 * run many fast readers without their own heap hiding the server's.
 */
final class TallyingWatch {
  private final CompletableFuture<Void> created = new CompletableFuture<>();
  private int events;
  private long lastRevision;
  private boolean outOfOrder;
  private long maxDelayNanos;

  static TallyingWatch open(WatchGrpcClient client, WatchRequest create) {
    TallyingWatch t = new TallyingWatch();
    CompletableFuture<WriteStream<WatchRequest>> requests = new CompletableFuture<>();
    Future<ReadStream<WatchResponse>> f = client.watch((req, err) -> {
      if (err != null) {
        requests.completeExceptionally(err);
      } else {
        requests.complete(req);
      }
    });
    f.onSuccess(s -> s.handler(t::onResponse)).onFailure(t.created::completeExceptionally);
    // as in WatchTestClient: the response stream starts only once the server has seen a request
    requests.thenAccept(w -> w.write(create));
    try {
      t.created.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("watch was not created", e);
    }
    return t;
  }

  private synchronized void onResponse(WatchResponse r) {
    if (r.getCreated()) created.complete(null);
    long now = System.nanoTime();
    for (Event e : r.getEventsList()) {
      events++;
      long rev = e.getKv().getModRevision();
      if (rev <= lastRevision) outOfOrder = true;
      lastRevision = rev;
      ByteBuffer v = e.getKv().getValue().asReadOnlyByteBuffer();
      if (v.remaining() >= Long.BYTES) maxDelayNanos = Math.max(maxDelayNanos, now - v.getLong());
    }
  }

  synchronized int events() {
    return events;
  }

  synchronized boolean outOfOrder() {
    return outOfOrder;
  }

  synchronized long maxDelayMillis() {
    return TimeUnit.NANOSECONDS.toMillis(maxDelayNanos);
  }
}
