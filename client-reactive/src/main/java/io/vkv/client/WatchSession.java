package io.vkv.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.grpc.client.GrpcClientRequest;
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
final class WatchSession implements ResilientStream.Owner<WatchRequest, WatchResponse> {
  private final Transport transport;
  private final CallPolicy policy;
  private final AuthTokens tokens;
  private final WatchCursor cursor;
  private final DeliveryQueue<WatchEvents> queue;
  private final ResilientStream<WatchRequest, WatchResponse> stream;
  private final Promise<Long> created = Promise.promise();
  private final Runnable onStopped;
  private static final long DEFAULT_CANCEL_WAIT_NANOS = 5_000_000_000L;

  private boolean stopped;
  /** Set by the application's cancel; completes once the stream is gone. */
  private Promise<Void> cancelled;
  private boolean createdOnStream;
  private long watchId = -1;
  private long openedAtNanos;
  /** The create timeout, then the wait for the server's cancel confirmation. */
  private long timer = -1;
  // written on the context, read by tests
  private volatile long peakBufferedBytes;
  private volatile long receivedBytes;
  private volatile int fragmentsReceived;

  WatchSession(Transport transport, CallPolicy policy, AuthTokens tokens, Context context, WatchCursor cursor,
      Runnable onStopped) {
    this.transport = transport;
    this.policy = policy;
    this.tokens = tokens;
    this.cursor = cursor;
    this.onStopped = onStopped;
    this.queue = new DeliveryQueue<>(context, this::pump, e -> e.wireBytes);
    this.stream = new ResilientStream<>(transport, policy, tokens, WatchGrpcClient.Watch, "watch", true, this);
  }

  DeliveryQueue<WatchEvents> queue() {
    return queue;
  }

  Future<Long> created() {
    return created.future();
  }

  void start() {
    stream.open(null);
  }

  @Override
  public void opened(GrpcClientRequest<WatchRequest, WatchResponse> request) {
    openedAtNanos = System.nanoTime();
    request.write(WatchRequest.newBuilder().setCreateRequest(cursor.createRequest()).build());
    armCreateTimeout(stream.generation());
  }

  @Override
  public void responding() {
    pump();
  }

  /** Reads one more response until the stream is created, while nothing waits for the application, or to cancel. */
  private void pump() {
    if (stopped) return;
    if (!createdOnStream || cancelled != null || queue.wantsMore()) stream.fetchOne();
  }

  @Override
  public void message(WatchResponse r) {
    if (cancelled != null) { // dropping what precedes the server's confirmation
      if (r.getCanceled()) {
        halt(true);
      } else {
        pump();
      }
      return;
    }
    String tokenError = r.getCanceled() ? tokens.rejectionIn(r.getCancelReason()) : null;
    if (tokenError != null) { // refused for its token, not for what it watches: a new stream with a new token
      stream.tokenRejected();
      lost(new VkvException(GrpcStatus.UNAUTHENTICATED, tokenError, null));
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

  /** Anything but a hard error (the server ends the RPC with UNAVAILABLE when it shuts down) is retried. */
  @Override
  public void lost(Throwable cause) {
    if (stopped) return;
    if (cancelled != null) {
      halt(true);
      return;
    }
    VkvException error = VkvErrors.classify(stream.endpoint(), cause);
    if (!stream.retryable(error)) {
      stop(error, true);
      return;
    }
    // a stream that lived long enough was healthy: start the backoff over
    if (createdOnStream && System.nanoTime() - openedAtNanos > policy.maxBackoffNanos()) stream.resetBackoff();
    createdOnStream = false;
    watchId = -1;
    cancelTimer();
    cursor.streamLost();
    stream.reconnect();
  }

  private void armCreateTimeout(int gen) {
    if (policy.callTimeoutNanos() == 0) return;
    timer = transport.vertx().setTimer(ResilientStream.millis(policy.callTimeoutNanos()), id -> {
      timer = -1;
      if (gen == stream.generation() && !createdOnStream) {
        lost(new VkvException(GrpcStatus.UNAVAILABLE, stream.endpoint() + ": no watch created within the call timeout",
            null));
      }
    });
  }

  /** Asks the server for a progress notification (answered once the watch has caught up). */
  void requestProgress() {
    GrpcClientRequest<WatchRequest, WatchResponse> request = stream.request();
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
    GrpcClientRequest<WatchRequest, WatchResponse> request = stream.request();
    if (stopped || request == null || !createdOnStream) {
      halt(true);
    } else {
      request.write(WatchRequest.newBuilder()
          .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(watchId)).build());
      cancelTimer();
      long wait = policy.callTimeoutNanos() > 0 ? policy.callTimeoutNanos() : DEFAULT_CANCEL_WAIT_NANOS;
      timer = transport.vertx().setTimer(ResilientStream.millis(wait), id -> {
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
      cancelTimer();
      stream.stop(reset); // a reset makes the server drop the watcher with the stream
      created.tryFail(new VkvException(GrpcStatus.CANCELLED, "watch ended before it was created", null));
      onStopped.run();
    }
    if (cancelled != null) cancelled.tryComplete();
  }

  private void cancelTimer() {
    if (timer >= 0) {
      transport.vertx().cancelTimer(timer);
      timer = -1;
    }
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
    return stream.streamsOpened();
  }
}
