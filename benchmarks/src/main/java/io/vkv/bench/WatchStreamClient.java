package io.vkv.bench;

import com.google.protobuf.ByteString;
import io.vertx.core.streams.ReadStream;
import io.vkv.api.etcdserverpb.WatchCreateRequest;
import io.vkv.api.etcdserverpb.WatchGrpcClient;
import io.vkv.api.etcdserverpb.WatchRequest;
import io.vkv.api.etcdserverpb.WatchResponse;
import io.vkv.api.mvccpb.Event;
import java.util.List;

/**
 * One bidirectional Watch stream carrying a block of watchers. It writes every create request as soon as the
 * request stream is handed over (the response future only completes after the server's headers, which a server
 * sends after the first request), then feeds what comes back to its {@link WatchVerticle}. Runs on that
 * verticle's event loop only.
 */
final class WatchStreamClient {
  private final WatchVerticle owner;
  private final List<ByteString> keys;

  /** @param keys the key of each watcher on this stream, one create request each */
  WatchStreamClient(WatchVerticle owner, List<ByteString> keys) {
    this.owner = owner;
    this.keys = keys;
  }

  /** Opens the stream and sends the creates; {@code onOpened} runs once the request stream exists. */
  void open(WatchGrpcClient client, Runnable onOpened) {
    client.watch((req, err) -> {
      if (err != null) {
        owner.streamFailed("watch stream not opened: " + ErrorText.of(err));
        return;
      }
      for (ByteString key : keys) {
        req.write(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(key)).build());
      }
      onOpened.run();
    }).onSuccess(this::listen).onFailure(e -> owner.streamFailed("watch stream failed: " + ErrorText.of(e)));
  }

  private void listen(ReadStream<WatchResponse> responses) {
    responses.exceptionHandler(e -> owner.streamFailed("watch stream error: " + ErrorText.of(e)));
    responses.handler(this::onResponse);
  }

  private void onResponse(WatchResponse r) {
    if (r.getCanceled()) {
      owner.streamFailed("watch " + r.getWatchId() + " canceled: " + r.getCancelReason());
      return;
    }
    if (r.getCreated()) owner.watcherCreated();
    int n = r.getEventsCount();
    if (n == 0) return;
    long now = System.nanoTime();
    for (int i = 0; i < n; i++) {
      Event e = r.getEvents(i);
      owner.eventReceived(now, TimestampValue.sentNanos(e.getKv().getValue()));
    }
    owner.eventsCounted(n, now);
  }
}
