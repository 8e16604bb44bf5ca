package io.vkv.node.fault;

import com.google.protobuf.ByteString;
import io.vertx.core.Vertx;
import io.vertx.core.streams.WriteStream;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.etcdserverpb.WatchCreateRequest;
import io.vkv.api.etcdserverpb.WatchProgressRequest;
import io.vkv.api.etcdserverpb.WatchRequest;
import io.vkv.api.etcdserverpb.WatchResponse;
import io.vkv.api.mvccpb.Event;
import io.vkv.node.fault.FaultCluster.Slot;
import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watchers on the register keys' prefix, and a writer of two-key txns under it, while the faults run. A watcher
 * resumes as etcd's clients do — on another member, from the last revision it saw plus one — when its stream
 * fails or ends, when it is canceled, when nothing (not even an answer to a progress request) came for a while (a
 * paused member), and every few seconds anyway, so that every run has many resumes.
 */
final class WatchWorkload {
  /** The watched range: the register keys {@code k0..k7} and the pair keys. */
  static final String FROM = "k";
  static final String TO = "l";
  static final List<String> PAIR_KEYS = List.of("kp-a", "kp-b");
  static final long STALE_MS = 2_000;

  private final Vertx vertx;
  private final FaultCluster cluster;
  private final Random random;
  private final List<Watcher> watchers = new ArrayList<>();
  private final Queue<WatchedEvent> events = new ConcurrentLinkedQueue<>();
  private final Queue<String> problems = new ConcurrentLinkedQueue<>();
  private final Set<String> pairValues = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicBoolean writerStopped = new AtomicBoolean();
  private final AtomicInteger writerInFlight = new AtomicInteger();
  private final AtomicInteger pairSeq = new AtomicInteger();

  WatchWorkload(FaultCluster cluster, long seed) {
    this.vertx = cluster.vertx;
    this.cluster = cluster;
    this.random = new Random(seed);
  }

  private synchronized int nextInt(int bound) {
    return random.nextInt(bound);
  }

  private Slot anyMember() {
    return cluster.slots[nextInt(FaultCluster.SIZE)];
  }

  void start(int count, long startRev) {
    for (int i = 0; i < count; i++) {
      Watcher w = new Watcher(i, startRev);
      watchers.add(w);
      vertx.runOnContext(v -> w.open());
      vertx.setPeriodic(500, t -> {
        if (stopped.get()) {
          vertx.cancelTimer(t);
          return;
        }
        w.tick();
      });
    }
    vertx.runOnContext(v -> writePair());
  }

  // ---- the pair writer: a txn putting both pair keys, so that watchers see multi-event revisions ----

  private void writePair() {
    writerInFlight.incrementAndGet();
    if (writerStopped.get()) {
      writerInFlight.decrementAndGet();
      return;
    }
    String value = "p-" + pairSeq.getAndIncrement();
    pairValues.add(value);
    TxnRequest.Builder t = TxnRequest.newBuilder();
    for (String k : PAIR_KEYS) {
      t.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes(k)).setValue(bytes(value))));
    }
    AtomicBoolean done = new AtomicBoolean();
    Runnable next = () -> {
      if (!done.compareAndSet(false, true)) return;
      writerInFlight.decrementAndGet();
      vertx.setTimer(20 + nextInt(30), x -> writePair());
    };
    long timer = vertx.setTimer(RegisterWorkload.OP_TIMEOUT_MS, x -> next.run());
    cluster.kv(anyMember()).txn(t.build()).onComplete(ar -> {
      vertx.cancelTimer(timer);
      next.run();
    });
  }

  /** Stops the pair writer; waits until its last txn ended (or was given up). */
  void stopWriter() {
    writerStopped.set(true);
    Wait.until(Duration.ofMillis(RegisterWorkload.OP_TIMEOUT_MS * 4), "the pair writer's last txn",
        () -> writerInFlight.get() == 0);
  }

  /** Waits until every watcher has seen an event at {@code rev} or later. */
  void awaitCaughtUp(long rev, Duration within) {
    Wait.until(within, () -> "watchers at revision " + rev + ": " + watchers.stream().map(w -> w.lastRev).toList(),
        () -> watchers.stream().allMatch(w -> w.lastRev >= rev));
  }

  void stop() {
    stopped.set(true);
    for (Watcher w : watchers) w.close();
  }

  List<WatchedEvent> events() {
    return new ArrayList<>(events);
  }

  List<WatcherSpan> spans(long caughtUpRev) {
    return watchers.stream().map(w -> new WatcherSpan(w.id, w.startRev, caughtUpRev, w.opened)).toList();
  }

  /** Values the pair writer wrote or may have written. */
  Set<String> pairValues() {
    return Set.copyOf(pairValues);
  }

  /** What the watchers saw that no checker sees in the events (a cancel for compaction: the run never compacts). */
  List<String> problems() {
    return new ArrayList<>(problems);
  }

  int streams() {
    return watchers.stream().mapToInt(w -> w.opened).sum();
  }

  static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  /** One watcher: one stream at a time; responses of a stream it left are ignored. */
  private final class Watcher {
    final int id;
    final long startRev;
    volatile long lastRev;
    int stream;
    int opened;
    int responses;
    String member = "-";
    WriteStream<WatchRequest> requests;
    long lastHeard;
    long switchAt;

    Watcher(int id, long startRev) {
      this.id = id;
      this.startRev = startRev;
    }

    synchronized void open() {
      if (stopped.get()) return;
      int gen = ++stream;
      opened++;
      Slot s = anyMember();
      member = s.hexId();
      long from = lastRev == 0 ? startRev : lastRev + 1;
      lastHeard = System.nanoTime();
      switchAt = lastHeard + (3_000 + nextInt(3_000)) * 1_000_000L;
      WatchRequest create = WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(bytes(FROM))
          .setRangeEnd(bytes(TO)).setStartRevision(from)).build();
      // the handler is set in the same event-loop turn as the stream's response arrives: nothing is lost before it
      cluster.watch(s).watch((req, err) -> {
        if (err != null) return;
        synchronized (this) {
          if (gen != stream) {
            cancel(req);
            return;
          }
          requests = req;
        }
        req.write(create);
      }).onComplete(ar -> {
        if (ar.failed()) {
          resume(gen);
          return;
        }
        ar.result().handler(r -> onResponse(gen, r));
        ar.result().exceptionHandler(e -> resume(gen));
        ar.result().endHandler(v -> resume(gen));
      });
    }

    synchronized void onResponse(int gen, WatchResponse r) {
      if (gen != stream) return;
      lastHeard = System.nanoTime();
      if (r.getCanceled()) {
        if (r.getCompactRevision() > 0) problems.add("watcher " + id + " canceled as compacted at " + r.getCompactRevision()
            + " (the run never compacts): " + r.getCancelReason());
        resume(gen);
        return;
      }
      if (r.getEventsCount() == 0) return;
      int resp = ++responses;
      for (Event e : r.getEventsList()) {
        events.add(new WatchedEvent(id, gen, resp, member, e.getKv().getKey().toStringUtf8(),
            e.getKv().getValue().toStringUtf8(), e.getKv().getModRevision(), e.getKv().getCreateRevision(),
            e.getType() == Event.EventType.PUT, r.getHeader().getRevision()));
        lastRev = Math.max(lastRev, e.getKv().getModRevision());
      }
    }

    /** Leaves stream {@code gen} (if still current) and opens another one shortly. */
    synchronized void resume(int gen) {
      if (gen != stream || stopped.get()) return;
      stream++; // responses still arriving on the old stream are ignored from now on
      cancel(requests);
      requests = null;
      vertx.setTimer(50 + nextInt(100), x -> open());
    }

    /** Every 500 ms: a progress request (any answer shows the member is alive), a switch if silent or due. */
    synchronized void tick() {
      long now = System.nanoTime();
      if ((now - lastHeard) / 1_000_000 > STALE_MS || now - switchAt > 0) {
        resume(stream); // also a stream that never opened (a paused member accepts the connection, never answers)
        return;
      }
      if (requests != null) requests.write(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
    }

    synchronized void close() {
      stream++;
      cancel(requests);
      requests = null;
    }

    private void cancel(WriteStream<WatchRequest> req) {
      Calls.cancel(req);
    }
  }
}
