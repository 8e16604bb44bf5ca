package io.vkv.node.fault;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vkv.api.etcdserverpb.Compare;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.etcdserverpb.TxnResponse;
import io.vkv.api.mvccpb.KeyValue;
import io.vkv.node.fault.FaultCluster.Slot;
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

/**
 * Clients running multi-key txns on a group of keys of their own ({@link #GROUP}) against random members: a txn
 * putting one new value to 2 or 3 of the keys at once, a read of the whole group in one txn (a range per key), and a
 * conditional txn comparing two keys' mod revisions with what the client last saw, then putting both, else reading
 * both. Recorded as {@link RegisterWorkload} records its operations (a timeout or an error: unknown outcome), for
 * {@link TxnChecker}.
 */
final class TxnWorkload {
  static final List<String> GROUP = List.of("t0", "t1", "t2");

  private final Vertx vertx;
  private final FaultCluster cluster;
  private final Random random;
  private final Queue<TxnOp> ops = new ConcurrentLinkedQueue<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean stop = new AtomicBoolean();

  TxnWorkload(FaultCluster cluster, long seed) {
    this.vertx = cluster.vertx;
    this.cluster = cluster;
    this.random = new Random(seed);
  }

  /** What one client last saw of each key of the group (value and mod revision), for its next CAS. */
  private static final class ClientState {
    final int id;
    final String[] lastValue = new String[GROUP.size()];
    final long[] lastRev = new long[GROUP.size()];
    int seq;

    ClientState(int id) {
      this.id = id;
    }
  }

  void start(int clients) {
    for (int c = 0; c < clients; c++) {
      ClientState cs = new ClientState(c);
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
    int dice = nextInt(10);
    TxnOp.Kind kind = dice < 4 ? TxnOp.Kind.READ : dice < 7 ? TxnOp.Kind.WRITE : TxnOp.Kind.CAS;
    List<String> keys = switch (kind) {
      case READ -> GROUP;
      case WRITE -> nextInt(2) == 0 ? GROUP : without(GROUP, nextInt(GROUP.size()));
      case CAS -> without(GROUP, nextInt(GROUP.size()));
    };
    String value = "x" + c.id + "-" + c.seq++;
    List<String> values = kind == TxnOp.Kind.READ ? List.of() : keys.stream().map(k -> value).toList();
    List<String> expected = new ArrayList<>();
    List<Long> expectedRevs = new ArrayList<>();
    if (kind == TxnOp.Kind.CAS) {
      for (String k : keys) {
        expected.add(c.lastValue[GROUP.indexOf(k)]);
        expectedRevs.add(c.lastRev[GROUP.indexOf(k)]);
      }
    }
    Slot s = cluster.slots[nextInt(FaultCluster.SIZE)];
    String member = s.hexId();
    int id = ids.getAndIncrement();
    TxnRequest.Builder t = TxnRequest.newBuilder();
    switch (kind) {
      case READ -> keys.forEach(k -> t.addSuccess(range(k)));
      case WRITE -> keys.forEach(k -> t.addSuccess(put(k, value)));
      case CAS -> {
        for (int i = 0; i < keys.size(); i++) {
          t.addCompare(Compare.newBuilder().setKey(RegisterWorkload.bytes(keys.get(i)))
              .setTarget(Compare.CompareTarget.MOD).setResult(Compare.CompareResult.EQUAL)
              .setModRevision(expectedRevs.get(i)));
          t.addSuccess(put(keys.get(i), value));
          t.addFailure(range(keys.get(i)));
        }
      }
    }
    long invoke = System.nanoTime();
    TxnOp unknown = new TxnOp(id, c.id, member, kind, keys, values, expected, expectedRevs, invoke, Op.NEVER,
        Op.Outcome.UNKNOWN, List.of(), List.of(), 0);
    Future<TxnOp> call = cluster.kv(s).txn(t.build()).map(r -> {
      long now = System.nanoTime();
      if (kind == TxnOp.Kind.READ) return readOp(id, c.id, member, invoke, now, r);
      if (r.getSucceeded()) {
        return new TxnOp(id, c.id, member, kind, keys, values, expected, expectedRevs, invoke, now, Op.Outcome.OK,
            List.of(), List.of(), r.getHeader().getRevision());
      }
      Found f = found(r);
      return new TxnOp(id, c.id, member, kind, keys, values, expected, expectedRevs, invoke, now, Op.Outcome.FAILED,
          f.values, f.revs, r.getHeader().getRevision());
    });
    AtomicBoolean done = new AtomicBoolean();
    long timer = vertx.setTimer(RegisterWorkload.OP_TIMEOUT_MS, x -> {
      if (done.compareAndSet(false, true)) finish(c, unknown, true);
    });
    call.onComplete(ar -> {
      if (!done.compareAndSet(false, true)) return;
      vertx.cancelTimer(timer);
      finish(c, ar.succeeded() ? ar.result() : unknown, ar.failed());
    });
  }

  private void finish(ClientState c, TxnOp op, boolean failed) {
    ops.add(op);
    if (op.ackedWrite()) {
      for (String k : op.keys()) {
        c.lastValue[GROUP.indexOf(k)] = op.values().get(0);
        c.lastRev[GROUP.indexOf(k)] = op.headerRev();
      }
    } else if (op.known() && (op.kind() == TxnOp.Kind.READ || op.outcome() == Op.Outcome.FAILED)) {
      for (int i = 0; i < op.keys().size(); i++) {
        c.lastValue[GROUP.indexOf(op.keys().get(i))] = op.result().get(i);
        c.lastRev[GROUP.indexOf(op.keys().get(i))] = op.resultRevs().get(i);
      }
    }
    inFlight.decrementAndGet();
    // a longer think time than the register clients': one object's history must stay small enough to search
    vertx.setTimer(failed ? 50 : 20 + nextInt(20), x -> next(c));
  }

  /** The group read, as a txn of one range per key. */
  static TxnRequest readRequest() {
    TxnRequest.Builder t = TxnRequest.newBuilder();
    GROUP.forEach(k -> t.addSuccess(range(k)));
    return t.build();
  }

  /** A group read's answer as an operation. */
  static TxnOp readOp(int id, int client, String member, long invoke, long ret, TxnResponse r) {
    Found f = found(r);
    return new TxnOp(id, client, member, TxnOp.Kind.READ, GROUP, List.of(), List.of(), List.of(), invoke, ret,
        Op.Outcome.OK, f.values, f.revs, r.getHeader().getRevision());
  }

  private record Found(List<String> values, List<Long> revs) {}

  /** What the txn's ranges found, one key each, in order (null value and revision 0: absent). */
  private static Found found(TxnResponse r) {
    List<String> values = new ArrayList<>();
    List<Long> revs = new ArrayList<>();
    for (int i = 0; i < r.getResponsesCount(); i++) {
      RangeResponse range = r.getResponses(i).getResponseRange();
      KeyValue kv = range.getKvsCount() == 0 ? null : range.getKvs(0);
      values.add(kv == null ? null : kv.getValue().toStringUtf8());
      revs.add(kv == null ? 0L : kv.getModRevision());
    }
    return new Found(values, revs);
  }

  private static RequestOp range(String key) {
    return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(RegisterWorkload.bytes(key))).build();
  }

  private static RequestOp put(String key, String value) {
    return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(RegisterWorkload.bytes(key))
        .setValue(RegisterWorkload.bytes(value))).build();
  }

  private static List<String> without(List<String> keys, int drop) {
    List<String> out = new ArrayList<>(keys);
    out.remove(drop);
    return List.copyOf(out);
  }

  /** Stops the clients; waits until none has a txn outstanding (a timed-out one counts as done). */
  void stopAndAwait() {
    stop.set(true);
    Wait.until(Duration.ofMillis(RegisterWorkload.OP_TIMEOUT_MS * 4), "the txn clients' last txns",
        () -> inFlight.get() == 0);
  }

  int nextId() {
    return ids.getAndIncrement();
  }

  /** The history so far, by id. */
  List<TxnOp> history() {
    List<TxnOp> h = new ArrayList<>(ops);
    h.sort(Comparator.comparingInt(TxnOp::id));
    return h;
  }
}
