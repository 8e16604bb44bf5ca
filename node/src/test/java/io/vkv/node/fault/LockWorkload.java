package io.vkv.node.fault;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vkv.api.etcdserverpb.Compare;
import io.vkv.api.etcdserverpb.LeaseGrantRequest;
import io.vkv.api.etcdserverpb.LeaseRevokeRequest;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.v3lockpb.LockRequest;
import io.vkv.api.v3lockpb.UnlockRequest;
import io.vkv.node.fault.FaultCluster.Slot;
import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients contending for one v3lock lock, each with a session lease (TTL 3 s) kept alive meanwhile: Lock, read the
 * lock key's create revision (the fencing token), make two writes to the fence key guarded by
 * {@code Compare(CREATE(lock key) == token)}, Unlock, revoke. One hold in five stops renewing its lease and waits
 * past its TTL before writing, as a client stalled by a GC pause would: it still believes it holds the lock, the
 * lease expired, another client may hold it now — its guarded writes must fail.
 */
final class LockWorkload {
  static final String NAME = "lock/fenced";
  static final String FENCE = "fence/lock";
  static final long SESSION_TTL_S = 3;
  static final long LOCK_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final FaultCluster cluster;
  private final Random random;
  private final Queue<LockHolding> holdings = new ConcurrentLinkedQueue<>();
  private final Queue<FencedWrite> writes = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicInteger rounds = new AtomicInteger();
  private final AtomicInteger stalls = new AtomicInteger();

  LockWorkload(FaultCluster cluster, long seed) {
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

  private <T> Future<T> timed(Future<T> call, long ms) {
    return Calls.timed(vertx, call, ms);
  }

  void start(int clients) {
    for (int c = 0; c < clients; c++) {
      int client = c;
      AtomicInteger round = new AtomicInteger();
      vertx.runOnContext(v -> round(client, round));
    }
  }

  /** One client's session: its lease and whether it still renews it. */
  private final class Session {
    final long lease;
    final AtomicBoolean renewing = new AtomicBoolean(true);

    Session(long lease) {
      this.lease = lease;
      renew();
    }

    void renew() {
      if (!renewing.get()) return;
      Calls.keepAliveOnce(vertx, cluster.lease(anyMember()), lease, 1_000).onComplete(ar -> {
        boolean gone = ar.succeeded() && ar.result() == 0;
        if (!gone) vertx.setTimer(ar.succeeded() ? 1_000 : 100, x -> renew());
      });
    }

    /** Stops renewing and revokes (best effort: if the revoke is lost, the lease expires). */
    Future<?> end() {
      renewing.set(false);
      return timed(cluster.lease(anyMember()).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(lease).build()),
          RegisterWorkload.OP_TIMEOUT_MS).recover(e -> Future.succeededFuture());
    }
  }

  private void round(int client, AtomicInteger roundSeq) {
    rounds.incrementAndGet(); // before the check: once stop sees no round, none starts
    if (stopped.get()) {
      rounds.decrementAndGet();
      return;
    }
    int round = roundSeq.incrementAndGet();
    Runnable next = () -> {
      rounds.decrementAndGet();
      vertx.setTimer(20 + nextInt(60), x -> round(client, roundSeq));
    };
    timed(cluster.lease(anyMember()).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(SESSION_TTL_S).build()),
        RegisterWorkload.OP_TIMEOUT_MS).onComplete(g -> {
          if (g.failed() || g.result().getID() == 0) {
            vertx.setTimer(100, x -> next.run());
            return;
          }
          Session session = new Session(g.result().getID());
          timed(cluster.lock(anyMember()).lock(LockRequest.newBuilder().setName(WatchWorkload.bytes(NAME))
              .setLease(session.lease).build()), LOCK_TIMEOUT_MS)
              .compose(locked -> timed(cluster.kv(anyMember()).range(RangeRequest.newBuilder().setKey(locked.getKey()).build()),
                  RegisterWorkload.OP_TIMEOUT_MS).compose(r -> {
                    if (r.getKvsCount() == 0) return Future.succeededFuture(); // lost already: not a hold
                    LockHolding h = new LockHolding(client, round, locked.getKey().toStringUtf8(),
                        locked.getHeader().getRevision(), r.getKvs(0).getCreateRevision());
                    holdings.add(h);
                    return hold(h, session).compose(v -> timed(cluster.lock(anyMember())
                        .unlock(UnlockRequest.newBuilder().setKey(locked.getKey()).build()), RegisterWorkload.OP_TIMEOUT_MS));
                  }))
              .eventually(session::end)
              .onComplete(ar -> next.run());
        });
  }

  /** The guarded writes of a hold, after a stall past the lease's TTL one time in five. */
  private Future<Void> hold(LockHolding h, Session session) {
    if (nextInt(5) == 0) {
      stalls.incrementAndGet();
      session.renewing.set(false);
      return Future.<Void>future(p -> vertx.setTimer(SESSION_TTL_S * 1_000 + 1_000, x -> p.complete()))
          .compose(v -> guardedWrite(h, 0)).compose(v -> guardedWrite(h, 1));
    }
    return guardedWrite(h, 0).compose(v -> guardedWrite(h, 1));
  }

  /** A put to the fence key if the lock key still has the hold's create revision; always completes. */
  private Future<Void> guardedWrite(LockHolding h, int n) {
    String value = "c" + h.client() + "-r" + h.round() + "-" + n;
    TxnRequest t = TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(WatchWorkload.bytes(h.lockKey())).setTarget(Compare.CompareTarget.CREATE)
            .setResult(Compare.CompareResult.EQUAL).setCreateRevision(h.createRev()))
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(WatchWorkload.bytes(FENCE))
            .setValue(WatchWorkload.bytes(value))))
        .build();
    return timed(cluster.kv(anyMember()).txn(t), RegisterWorkload.OP_TIMEOUT_MS).transform(ar -> {
      writes.add(ar.failed() ? new FencedWrite(h.client(), h.round(), value, Op.Outcome.UNKNOWN, 0)
          : new FencedWrite(h.client(), h.round(), value, ar.result().getSucceeded() ? Op.Outcome.OK : Op.Outcome.FAILED,
              ar.result().getHeader().getRevision()));
      return Future.succeededFuture();
    });
  }

  /** Stops the clients; waits until every round ended (a lock wait times out after 10 s). */
  void stop() {
    stopped.set(true);
    Wait.until(Duration.ofMillis(LOCK_TIMEOUT_MS + SESSION_TTL_S * 1_000 + 4 * RegisterWorkload.OP_TIMEOUT_MS),
        "the lock clients' last rounds", () -> rounds.get() == 0);
  }

  List<LockHolding> holdings() {
    return new ArrayList<>(holdings);
  }

  List<FencedWrite> writes() {
    return new ArrayList<>(writes);
  }

  int stalls() {
    return stalls.get();
  }
}
