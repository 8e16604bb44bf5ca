package io.vkv.node.fault;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vkv.api.etcdserverpb.Compare;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.mvccpb.KeyValue;
import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Clients doing put / linearizable get / compare-and-swap (a Txn comparing the key's mod revision, reading the key
 * when the comparison fails) on a few keys against random members, recording every operation's invocation and
 * completion time and result. A timeout or any error makes the outcome unknown (an error may come after the write
 * was committed). Asynchronous on the cluster's Vert.x: each client runs one operation at a time (a timed-out one
 * is abandoned and the client goes on).
 */
final class RegisterWorkload {
  /** Where an operation goes: the member's id (hex) and its client. */
  record Target(String member, KVGrpcClient kv) {}

  static final long OP_TIMEOUT_MS = 3_000;

  private final Vertx vertx;
  private final int keys;
  private final Supplier<Target> targets;
  private final Random random;
  private final Queue<Op> ops = new ConcurrentLinkedQueue<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicBoolean stop = new AtomicBoolean();

  /** @param targets picks a member for each operation (called on the Vert.x event loop) */
  RegisterWorkload(Vertx vertx, int keys, Supplier<Target> targets, long seed) {
    this.vertx = vertx;
    this.keys = keys;
    this.targets = targets;
    this.random = new Random(seed);
  }

  /** What one client last saw of each key (value and mod revision), for its next CAS. */
  private static final class ClientState {
    final int id;
    final String[] lastValue;
    final long[] lastRev;
    int seq;

    ClientState(int id, int keys) {
      this.id = id;
      this.lastValue = new String[keys];
      this.lastRev = new long[keys];
    }
  }

  void start(int clients) {
    for (int c = 0; c < clients; c++) {
      ClientState cs = new ClientState(c, keys);
      vertx.runOnContext(v -> next(cs));
    }
  }

  private synchronized int nextInt(int bound) {
    return random.nextInt(bound);
  }

  private void next(ClientState c) {
    inFlight.incrementAndGet(); // before the check: once stopAndAwait sees none in flight, none starts
    if (stop.get()) {
      inFlight.decrementAndGet();
      return;
    }
    int k = nextInt(keys);
    String key = "k" + k;
    int dice = nextInt(10);
    Op.Kind kind = dice < 4 ? Op.Kind.GET : dice < 7 ? Op.Kind.PUT : Op.Kind.CAS;
    Target t = targets.get();
    String value = kind == Op.Kind.GET ? null : "c" + c.id + "-" + c.seq++;
    String expected = kind == Op.Kind.CAS ? c.lastValue[k] : null;
    long expectedRev = kind == Op.Kind.CAS ? c.lastRev[k] : 0;
    int id = ids.getAndIncrement();
    long invoke = System.nanoTime();
    Future<Op> call = switch (kind) {
      case GET -> t.kv().range(RangeRequest.newBuilder().setKey(bytes(key)).build()).map(r -> {
        KeyValue kv = r.getKvsCount() == 0 ? null : r.getKvs(0);
        return new Op(id, c.id, t.member(), kind, key, null, null, 0, invoke, System.nanoTime(), Op.Outcome.OK,
            kv == null ? null : kv.getValue().toStringUtf8(), kv == null ? 0 : kv.getModRevision(),
            r.getHeader().getRevision());
      });
      case PUT -> t.kv().put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build())
          .map(r -> new Op(id, c.id, t.member(), kind, key, value, null, 0, invoke, System.nanoTime(), Op.Outcome.OK,
              null, 0, r.getHeader().getRevision()));
      case CAS -> t.kv().txn(TxnRequest.newBuilder()
          .addCompare(Compare.newBuilder().setKey(bytes(key)).setTarget(Compare.CompareTarget.MOD)
              .setResult(Compare.CompareResult.EQUAL).setModRevision(expectedRev))
          .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value))))
          .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes(key))))
          .build()).map(r -> {
            long now = System.nanoTime();
            if (r.getSucceeded()) {
              return new Op(id, c.id, t.member(), kind, key, value, expected, expectedRev, invoke, now, Op.Outcome.OK,
                  null, 0, r.getHeader().getRevision());
            }
            RangeResponse range = r.getResponses(0).getResponseRange();
            KeyValue kv = range.getKvsCount() == 0 ? null : range.getKvs(0);
            return new Op(id, c.id, t.member(), kind, key, value, expected, expectedRev, invoke, now, Op.Outcome.FAILED,
                kv == null ? null : kv.getValue().toStringUtf8(), kv == null ? 0 : kv.getModRevision(),
                r.getHeader().getRevision());
          });
    };
    AtomicBoolean done = new AtomicBoolean();
    Op unknown = new Op(id, c.id, t.member(), kind, key, value, expected, expectedRev, invoke, Op.NEVER,
        Op.Outcome.UNKNOWN, null, 0, 0);
    long timer = vertx.setTimer(OP_TIMEOUT_MS, x -> {
      if (done.compareAndSet(false, true)) finish(c, unknown, true);
    });
    call.onComplete(ar -> {
      if (!done.compareAndSet(false, true)) return;
      vertx.cancelTimer(timer);
      finish(c, ar.succeeded() ? ar.result() : unknown, ar.failed());
    });
  }

  private void finish(ClientState c, Op op, boolean failed) {
    ops.add(op);
    completed.incrementAndGet();
    int k = Integer.parseInt(op.key().substring(1));
    if (op.outcome() == Op.Outcome.OK && op.kind() != Op.Kind.GET) {
      c.lastValue[k] = op.value();
      c.lastRev[k] = op.headerRev();
    } else if (op.known() && (op.kind() == Op.Kind.GET || op.outcome() == Op.Outcome.FAILED)) {
      c.lastValue[k] = op.result();
      c.lastRev[k] = op.resultModRev();
    }
    inFlight.decrementAndGet();
    // a short think time (longer after a failure: a dead member fails at once), so histories stay a few thousand ops
    vertx.setTimer(failed ? 50 : 5 + nextInt(10), x -> next(c));
  }

  /** Operations completed (or given up) so far. */
  int completed() {
    return completed.get();
  }

  /** Waits until {@code more} further operations completed. */
  void awaitMore(int more, Duration within, String what) {
    int target = completed() + more;
    Wait.until(within, () -> what + ": " + completed() + " of " + target + " ops", () -> completed() >= target);
  }

  /** Stops the clients; waits until none has an operation outstanding (a timed-out one counts as done). */
  void stopAndAwait() {
    stop.set(true);
    Wait.until(Duration.ofMillis(OP_TIMEOUT_MS * 4), "the clients' last operations", () -> inFlight.get() == 0);
  }

  /** The history so far, by invocation. */
  List<Op> history() {
    List<Op> h = new ArrayList<>(ops);
    h.sort(Comparator.comparingInt(Op::id));
    return h;
  }

  int nextId() {
    return ids.getAndIncrement();
  }

  static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
