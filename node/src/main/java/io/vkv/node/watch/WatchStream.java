package io.vkv.node.watch;

import com.google.protobuf.ByteString;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.common.GrpcReadStream;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.GrpcWriteStream;
import io.vkv.api.etcdserverpb.ResponseHeader;
import io.vkv.api.etcdserverpb.WatchCreateRequest;
import io.vkv.api.etcdserverpb.WatchRequest;
import io.vkv.api.etcdserverpb.WatchResponse;
import io.vkv.watch.WatchBatch;
import io.vkv.watch.WatchHub;
import io.vkv.watch.Watcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * One Watch RPC, after etcd 3.4's serverWatchStream: creates, cancels and progress requests in, created /
 * canceled / event / progress responses out. Everything here runs on the stream's event loop except the hub's
 * calls into {@link StreamSink}, which only queue work onto that loop; so a watcher's created response is always
 * written before its first events.
 */
final class WatchStream {
  static final String EMPTY_RANGE = "mvcc: watcher range is empty";
  static final String DUPLICATE_ID = "mvcc: duplicate watch ID provided on the WatchStream";
  /** etcd turns an empty key into the smallest key. */
  private static final ByteString SMALLEST_KEY = ByteString.copyFrom(new byte[] {0});

  private static final class Entry {
    final Watcher watcher;
    final boolean fragment;
    /** No events written since the last progress tick (etcd's progress map). */
    boolean idle;

    Entry(Watcher watcher, boolean fragment) {
      this.watcher = watcher;
      this.fragment = fragment;
      this.idle = true; // as etcd: the first tick already reports a watcher that saw no events
    }
  }

  private final WatchRuntime runtime;
  private final WatchHub hub;
  private final LongFunction<ResponseHeader> headers;
  private final int maxResponseBytes;
  private final Context context;
  private final WriteStream<WatchResponse> out;
  private final StreamSink sink;
  /** Why the caller may not watch a range (the cancel reason), or null if they may. */
  private final Function<WatchCreateRequest, String> refusal;
  private final Map<Long, Entry> watches = new HashMap<>();
  /**
   * Batches handed to the response and not yet written out: each one's budget is returned when its last write
   * completes (the bytes left for the socket), or when the stream closes. Not when the write queue merely looks
   * free: HTTP/2 takes a write into its flow-control queue whatever the client's window, and a stream whose client
   * never reads would then hand the hub's budgets back at once and hold its bytes regardless.
   */
  private final ArrayDeque<WatchBatch> unwritten = new ArrayDeque<>();
  private long nextId;
  private boolean progressRequested;
  private boolean closed;

  WatchStream(WatchRuntime runtime, LongFunction<ResponseHeader> headers, int maxResponseBytes, Context context,
      WriteStream<WatchResponse> out, Function<WatchCreateRequest, String> refusal) {
    this.runtime = runtime;
    this.refusal = refusal;
    this.hub = runtime.hub();
    this.headers = headers;
    this.maxResponseBytes = maxResponseBytes;
    this.context = context;
    this.out = out;
    this.sink = new StreamSink(hub.config().streamBufferBytes(), hub.streamBuffers(), context, this);
  }

  void start(ReadStream<WatchRequest> in) {
    in.exceptionHandler(e -> close());
    // a client that resets the RPC (how etcd clients close a watch) is reported as a gRPC error, not an exception
    if (in instanceof GrpcReadStream<?> grpc) grpc.errorHandler(e -> close());
    out.exceptionHandler(e -> close());
    // as etcd: a client that closes its send side still receives events
    in.handler(this::onRequest);
    runtime.register(this);
  }

  private void onRequest(WatchRequest r) {
    if (closed) return;
    switch (r.getRequestUnionCase()) {
      case CREATE_REQUEST -> create(r.getCreateRequest());
      case CANCEL_REQUEST -> cancel(r.getCancelRequest().getWatchId());
      case PROGRESS_REQUEST -> {
        progressRequested = true;
        retryProgress();
      }
      default -> { } // etcd ignores what it does not know
    }
  }

  private void create(WatchCreateRequest c) {
    if (c.getKey().isEmpty()) c = c.toBuilder().setKey(SMALLEST_KEY).build();
    long rev = hub.progressRevision();
    String refused = refusal.apply(c);
    if (refused != null) {
      refuse(rev, refused);
      return;
    }
    // start_revision 0 means "after the revision in the created header", exactly (etcd passes wsrev + 1)
    if (c.getStartRevision() <= 0) c = c.toBuilder().setStartRevision(rev + 1).build();
    long id = c.getWatchId();
    if (id == 0) {
      while (watches.containsKey(nextId)) nextId++;
      id = nextId++;
    } else if (watches.containsKey(id)) {
      refuse(rev, DUPLICATE_ID);
      return;
    }
    Watcher w;
    try {
      w = hub.watch(sink, id, c);
    } catch (IllegalArgumentException e) {
      refuse(rev, EMPTY_RANGE);
      return;
    }
    watches.put(id, new Entry(w, c.getFragment()));
    write(WatchResponse.newBuilder().setHeader(headers.apply(rev)).setWatchId(id).setCreated(true).build());
    if (!hub.isSynced(w)) runtime.requestSync();
  }

  private void refuse(long rev, String reason) {
    write(WatchResponse.newBuilder().setHeader(headers.apply(rev)).setWatchId(-1).setCreated(true)
        .setCanceled(true).setCancelReason(reason).build());
  }

  private void cancel(long id) {
    Entry e = watches.remove(id);
    if (e == null) return; // etcd answers nothing for an unknown id
    hub.cancel(e.watcher);
    write(WatchResponse.newBuilder().setHeader(headers.apply(hub.progressRevision())).setWatchId(id)
        .setCanceled(true).build());
  }

  /** A batch from the hub, now on this loop. Batches of cancelled watchers are dropped, their budget returned. */
  void deliver(WatchBatch b) {
    Entry e = watches.get(b.watcher().id());
    if (closed || e == null || e.watcher != b.watcher()) {
      release(b);
      return;
    }
    WatchResponse r = b.toResponse(headers.apply(b.revision()));
    if (b.isCompaction()) {
      watches.remove(b.watcher().id());
      // as etcd: the answer to a watcher canceled for compaction has no revision in its header
      r = r.toBuilder().setHeader(r.getHeader().toBuilder().clearRevision())
          .setCompactRevision(StoreWatchHistory.actualCompactRevision(b.compactRevision())).build();
    } else {
      e.idle = false;
    }
    Future<Void> written = null;
    if (e.fragment) {
      for (WatchResponse part : Fragments.split(r, maxResponseBytes)) written = write(part);
    } else {
      written = write(r);
    }
    if (written == null) { // nothing to write (no fragment): nothing held
      release(b);
      return;
    }
    unwritten.add(b);
    written.onComplete(ar -> {
      if (unwritten.remove(b)) release(b); // else the stream closed and released it already
    });
  }

  private void release(WatchBatch b) {
    if (sink.written(b)) runtime.onWritable(sink);
  }

  /**
   * Answers a progress request once every watcher of the stream is synced (etcd 3.5's rule: the revision then
   * promises that nothing at or below it is still on its way); until then the runtime retries every sync tick.
   */
  void retryProgress() {
    context.runOnContext(v -> {
      if (closed || !progressRequested) return;
      long rev;
      // the hub's own monitor: "all synced" and the revision must be one consistent view
      synchronized (hub) {
        for (Entry e : watches.values()) {
          if (!hub.isSynced(e.watcher)) {
            runtime.awaitProgress(this, true);
            return;
          }
        }
        rev = hub.progressRevision();
      }
      progressRequested = false;
      runtime.awaitProgress(this, false);
      // queued behind any batch the hub handed over before rev was read
      context.runOnContext(x -> {
        if (!closed) write(WatchResponse.newBuilder().setHeader(headers.apply(rev)).setWatchId(-1).build());
      });
    });
  }

  /** progress_notify: a synced watcher that had no events for a whole interval is told the hub's revision. */
  void progressTick() {
    context.runOnContext(v -> {
      if (closed) return;
      List<Entry> due = new ArrayList<>();
      long rev;
      synchronized (hub) {
        rev = hub.progressRevision();
        for (Entry e : watches.values()) {
          if (!e.watcher.progressNotify()) continue;
          if (e.idle && hub.isSynced(e.watcher)) due.add(e);
          e.idle = true;
        }
      }
      if (due.isEmpty()) return;
      context.runOnContext(x -> {
        for (Entry e : due) {
          if (!closed && watches.get(e.watcher.id()) == e) {
            write(WatchResponse.newBuilder().setHeader(headers.apply(rev)).setWatchId(e.watcher.id()).build());
          }
        }
      });
    });
  }

  private Future<Void> write(WatchResponse r) {
    return out.write(r);
  }

  /**
   * The node is stopping: ends the RPC with UNAVAILABLE (so clients move to another member), or resets it when
   * its queue is full (trailers would wait behind data a stalled client never reads, and keep the server open).
   */
  Future<Void> shutdown() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      boolean alreadyGone = closed;
      close();
      try {
        if (alreadyGone) return; // the client reset or broke the RPC: there is nothing left to end
        if (out.writeQueueFull() && out instanceof GrpcWriteStream<?> g) {
          g.cancel();
        } else {
          io.vkv.node.wire.StreamErrors.fail(out,
              new io.vertx.grpc.server.StatusException(GrpcStatus.UNAVAILABLE, "etcdserver: server stopped"));
        }
      } catch (IllegalStateException e) {
        // the RPC failed between our last event and now; stopping must not hang on it
      } finally {
        done.complete();
      }
    });
    return done.future();
  }

  /** The stream ended or broke: its watchers leave the hub. */
  private void close() {
    if (closed) return;
    closed = true;
    runtime.unregister(this);
    for (Entry e : watches.values()) hub.cancel(e.watcher);
    watches.clear();
    // the hub's budgets of what was never written go back (the streams' shared one must not leak)
    while (!unwritten.isEmpty()) release(unwritten.poll());
  }
}
