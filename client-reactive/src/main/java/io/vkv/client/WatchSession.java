package io.vkv.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.etcdserverpb.WatchCancelRequest;
import io.vkv.api.etcdserverpb.WatchGrpcClient;
import io.vkv.api.etcdserverpb.WatchProgressRequest;
import io.vkv.api.etcdserverpb.WatchRequest;
import io.vkv.api.etcdserverpb.WatchResponse;

/**
 * Keeps one watch alive over a sequence of Watch RPCs, one watch per RPC: opens a stream, reads at most one
 * response ahead of the application's demand (so HTTP/2 flow control reaches the server when it does not fetch), and when the stream breaks
 * opens another, on the next endpoint, from the cursor's revision, with exponential backoff. Runs on one context.
 */
final class WatchSession {
  private final Transport transport;
  private final CallPolicy policy;
  private final Context context;
  private final WatchCursor cursor;
  private final DeliveryQueue<WatchEvents> queue;
  private final Promise<Long> created = Promise.promise();
  private final Runnable onStopped;
  private static final long DEFAULT_CANCEL_WAIT_NANOS = 5_000_000_000L;

  /** Bumped per stream and on stop: callbacks of an older stream are ignored. */
  private int generation;
  private boolean stopped;
  /** Set by the application's cancel; completes once the stream is gone. */
  private Promise<Void> cancelled;
  private GrpcClientRequest<WatchRequest, WatchResponse> request;
  private GrpcClientResponse<WatchRequest, WatchResponse> response;
  private boolean createdOnStream;
  private long watchId = -1;
  private boolean fetching;
  private long openedAtNanos;
  private Transport.Endpoint endpoint;
  private int failures;
  private long timer = -1;
  // written on the context, read by tests
  private volatile long peakBufferedBytes;
  private volatile long receivedBytes;
  private volatile int fragmentsReceived;
  private volatile int streamsOpened;

  WatchSession(Transport transport, CallPolicy policy, Context context, WatchCursor cursor, Runnable onStopped) {
    this.transport = transport;
    this.policy = policy;
    this.context = context;
    this.cursor = cursor;
    this.onStopped = onStopped;
    this.queue = new DeliveryQueue<>(context, this::pump, e -> e.wireBytes);
  }

  DeliveryQueue<WatchEvents> queue() {
    return queue;
  }

  Future<Long> created() {
    return created.future();
  }

  void start() {
    connect(null);
  }

  private void connect(Transport.Endpoint previous) {
    int gen = ++generation;
    createdOnStream = false;
    fetching = false;
    watchId = -1;
    Transport.Endpoint e = transport.pick(previous);
    endpoint = e;
    streamsOpened++;
    transport.channel().request(e.address, WatchGrpcClient.Watch).onComplete(opened -> {
      if (gen != generation) {
        if (opened.succeeded()) opened.result().cancel();
        return;
      }
      if (opened.failed()) {
        transport.markDown(e, policy.maxBackoffNanos());
        lost(gen, opened.cause());
        return;
      }
      request = opened.result();
      openedAtNanos = System.nanoTime();
      request.exceptionHandler(t -> lost(gen, t));
      // STACK.md pitfall 5: the server answers nothing before the first request, so write it right here
      request.write(WatchRequest.newBuilder().setCreateRequest(cursor.createRequest()).build());
      armCreateTimeout(gen);
      request.response().onComplete(responded -> {
        if (gen != generation) return;
        if (responded.failed()) {
          lost(gen, responded.cause());
          return;
        }
        response = responded.result();
        response.pause();
        response.handler(r -> onResponse(gen, r));
        response.exceptionHandler(t -> lost(gen, t));
        response.endHandler(v -> ended(gen));
        pump();
      });
    });
  }

  /** Reads one more response until the stream is created, while nothing waits for the application, or to cancel. */
  private void pump() {
    if (stopped || response == null || fetching) return;
    if (!createdOnStream || cancelled != null || queue.wantsMore()) {
      fetching = true;
      response.fetch(1);
    }
  }

  private void onResponse(int gen, WatchResponse r) {
    if (gen != generation) return;
    fetching = false;
    if (cancelled != null) { // dropping what precedes the server's confirmation
      if (r.getCanceled()) {
        halt(true);
      } else {
        pump();
      }
      return;
    }
    receivedBytes += r.getSerializedSize();
    if (r.getFragment()) fragmentsReceived++;
    WatchCursor.Step step = cursor.accept(r);
    if (step.created()) {
      createdOnStream = true;
      watchId = r.getWatchId();
      cancelTimer();
      created.tryComplete(cursor.createdRevision());
    } else if (step.error() != null) {
      stop(step.error(), true);
      return;
    } else if (step.deliver() != null) {
      queue.add(step.deliver());
    }
    long buffered = queue.bytes() + cursor.fragmentBytes();
    if (buffered > peakBufferedBytes) peakBufferedBytes = buffered;
    pump();
  }

  /** The server ended the RPC: with UNAVAILABLE when it shuts down; anything but a hard error is retried. */
  private void ended(int gen) {
    if (gen != generation) return;
    GrpcStatus status = response.status();
    if (status == null || status == GrpcStatus.OK || retryable(status)) {
      lost(gen, new VkvException(GrpcStatus.UNAVAILABLE, endpoint + ": watch stream ended", null));
    } else {
      stop(new VkvException(status, response.statusMessage(), null), true);
    }
  }

  private void lost(int gen, Throwable cause) {
    if (gen != generation || stopped) return;
    if (cancelled != null) {
      halt(true);
      return;
    }
    VkvException error = VkvErrors.classify(endpoint, cause);
    if (!retryable(error.status())) {
      stop(error, true);
      return;
    }
    // a stream that lived long enough was healthy: start the backoff over
    if (createdOnStream && System.nanoTime() - openedAtNanos > policy.maxBackoffNanos()) failures = 0;
    closeStream();
    cursor.streamLost();
    failures++;
    long delay = policy.streamBackoffNanos(failures, transport.endpointCount());
    Transport.Endpoint failed = endpoint;
    if (delay <= 0) {
      connect(failed);
    } else {
      timer = transport.vertx().setTimer(Math.max(1, delay / 1_000_000), id -> {
        timer = -1;
        if (!stopped) connect(failed);
      });
    }
  }

  private void armCreateTimeout(int gen) {
    if (policy.callTimeoutNanos() == 0) return;
    timer = transport.vertx().setTimer(Math.max(1, policy.callTimeoutNanos() / 1_000_000), id -> {
      timer = -1;
      if (gen == generation && !createdOnStream) {
        lost(gen, new VkvException(GrpcStatus.UNAVAILABLE, endpoint + ": no watch created within the call timeout", null));
      }
    });
  }

  /** Asks the server for a progress notification (answered once the watch has caught up). */
  void requestProgress() {
    if (request != null && createdOnStream) {
      request.write(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
    }
  }

  /**
   * The application's cancel: nothing more is delivered and the stream ends at once; the server is sent a cancel
   * request and, once it confirms (or after the call timeout), the RPC is reset. Waiting for the confirmation
   * (reading and dropping what comes before it) makes sure the server dropped the watcher even if it handles
   * stream resets late, and is what etcd's own client does.
   */
  Future<Void> cancel() {
    if (cancelled != null) return cancelled.future();
    cancelled = Promise.promise();
    queue.discard();
    queue.end();
    if (stopped || request == null || !createdOnStream) {
      halt(true);
    } else {
      request.write(WatchRequest.newBuilder()
          .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(watchId)).build());
      cancelTimer();
      long wait = policy.callTimeoutNanos() > 0 ? policy.callTimeoutNanos() : DEFAULT_CANCEL_WAIT_NANOS;
      timer = transport.vertx().setTimer(Math.max(1, wait / 1_000_000), id -> {
        timer = -1;
        halt(true);
      });
      pump();
    }
    return cancelled.future();
  }

  /**
   * Ends the watch with an error after what was already received is delivered. {@code reset}: reset the RPC;
   * without, the stream is left to the connection's close (the client is closing).
   */
  void stop(Throwable error, boolean reset) {
    halt(reset);
    queue.fail(error);
  }

  private void halt(boolean reset) {
    if (!stopped) {
      stopped = true;
      generation++;
      cancelTimer();
      if (reset) {
        closeStream();
      } else {
        request = null;
        response = null;
      }
      created.tryFail(new VkvException(GrpcStatus.CANCELLED, "watch ended before it was created", null));
      onStopped.run();
    }
    if (cancelled != null) cancelled.tryComplete();
  }

  private void closeStream() {
    GrpcClientRequest<WatchRequest, WatchResponse> r = request;
    request = null;
    response = null;
    fetching = false;
    if (r != null) {
      try {
        r.cancel(); // RST_STREAM: the server drops the watcher with the stream
      } catch (RuntimeException ignored) {
        // already reset or closed
      }
    }
  }

  private void cancelTimer() {
    if (timer >= 0) {
      transport.vertx().cancelTimer(timer);
      timer = -1;
    }
  }

  /** etcd's clients retry a watch on UNAVAILABLE (no leader, lost connection) and INTERNAL; others are final. */
  private static boolean retryable(GrpcStatus status) {
    return status == GrpcStatus.UNAVAILABLE || status == GrpcStatus.INTERNAL;
  }

  long bufferedBytes() {
    return queue.bytes() + cursor.fragmentBytes();
  }

  long peakBufferedBytes() {
    return peakBufferedBytes;
  }

  long receivedBytes() {
    return receivedBytes;
  }

  int fragmentsReceived() {
    return fragmentsReceived;
  }

  int streamsOpened() {
    return streamsOpened;
  }
}
