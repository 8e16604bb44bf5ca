package io.vkv.node.fault;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vkv.api.etcdserverpb.LeaseGrantRequest;
import io.vkv.api.etcdserverpb.LeaseRevokeRequest;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.node.fault.FaultCluster.Slot;
import io.vkv.node.fault.LeaseRecord.Fate;
import io.vkv.node.fault.LeaseRecord.Renewal;
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
 * Clients that grant short leases (2–3 s) on random members, put a key with each, and then keep the lease alive
 * (one keep-alive every third of the TTL, to the end of the run), revoke it after up to a second, or let it expire.
 * Every call is recorded with its times and outcome ({@link LeaseRecord}) for {@link LeaseChecker}.
 */
final class LeaseWorkload {
  static final String PREFIX = "lease/";
  static final int MAX_KEPT_PER_CLIENT = 3;

  private final Vertx vertx;
  private final FaultCluster cluster;
  private final Random random;
  private final Queue<Lease> leases = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean granting = new AtomicBoolean(true);
  private final AtomicBoolean keeping = new AtomicBoolean(true);
  private final AtomicInteger rounds = new AtomicInteger();

  LeaseWorkload(FaultCluster cluster, long seed) {
    this.vertx = cluster.vertx;
    this.cluster = cluster;
    this.random = new Random(seed);
  }

  /** One lease while the run goes on. */
  private static final class Lease {
    final int client;
    final long id;
    final long ttlMs;
    final String key;
    final long grantInvoke;
    final long grantReturn;
    final List<Renewal> renewals = new ArrayList<>();
    volatile Op.Outcome put = Op.Outcome.UNKNOWN;
    volatile long putReturn = Long.MAX_VALUE;
    volatile Fate fate = Fate.EXPIRE;
    volatile long revokeInvoke;
    volatile long revokeEnd;
    volatile Op.Outcome revoke;

    Lease(int client, long id, long ttlMs, String key, long grantInvoke, long grantReturn) {
      this.client = client;
      this.id = id;
      this.ttlMs = ttlMs;
      this.key = key;
      this.grantInvoke = grantInvoke;
      this.grantReturn = grantReturn;
    }

    synchronized LeaseRecord record() {
      return new LeaseRecord(client, id, ttlMs, key, put, fate, grantInvoke, grantReturn, putReturn, revokeInvoke,
          revokeEnd, revoke, List.copyOf(renewals));
    }
  }

  private synchronized int nextInt(int bound) {
    return random.nextInt(bound);
  }

  private Slot anyMember() {
    return cluster.slots[nextInt(FaultCluster.SIZE)];
  }

  void start(int clients) {
    for (int c = 0; c < clients; c++) {
      int client = c;
      AtomicInteger kept = new AtomicInteger();
      AtomicInteger seq = new AtomicInteger();
      vertx.runOnContext(v -> round(client, kept, seq));
    }
  }

  private void round(int client, AtomicInteger kept, AtomicInteger seq) {
    rounds.incrementAndGet(); // before the check: once stopGranting sees no round, none starts
    if (!granting.get()) {
      rounds.decrementAndGet();
      return;
    }
    Runnable next = () -> {
      rounds.decrementAndGet();
      vertx.setTimer(100 + nextInt(200), x -> round(client, kept, seq));
    };
    long ttl = 2 + nextInt(2);
    long grantInvoke = System.nanoTime();
    timed(cluster.lease(anyMember()).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).build())).onComplete(g -> {
      if (g.failed() || g.result().getID() == 0) {
        next.run(); // an unknown grant: the lease, if granted, has no key and expires
        return;
      }
      String key = PREFIX + "c" + client + "-" + seq.getAndIncrement();
      Lease l = new Lease(client, g.result().getID(), g.result().getTTL() * 1000, key, grantInvoke, System.nanoTime());
      leases.add(l);
      timed(cluster.kv(anyMember()).put(PutRequest.newBuilder().setKey(WatchWorkload.bytes(key))
          .setValue(WatchWorkload.bytes(key)).setLease(l.id).build())).onComplete(p -> {
            l.putReturn = System.nanoTime();
            l.put = p.succeeded() ? Op.Outcome.OK : Op.Outcome.UNKNOWN;
            int dice = nextInt(10);
            if (dice < 3 && kept.get() < MAX_KEPT_PER_CLIENT) {
              kept.incrementAndGet();
              l.fate = Fate.KEEP;
              keepAlive(l, kept);
              next.run();
            } else if (dice < 7) {
              l.fate = Fate.REVOKE;
              vertx.setTimer(1 + nextInt(1000), x -> {
                l.revokeInvoke = System.nanoTime();
                timed(cluster.lease(anyMember()).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(l.id).build()))
                    .onComplete(r -> {
                      l.revokeEnd = System.nanoTime();
                      l.revoke = r.succeeded() ? Op.Outcome.OK : Op.Outcome.UNKNOWN;
                      next.run();
                    });
              });
            } else {
              next.run();
            }
          });
    });
  }

  /** One keep-alive every third of the TTL (sooner after a failure), until {@link #stopKeeping} or TTL 0. */
  private void keepAlive(Lease l, AtomicInteger kept) {
    if (!keeping.get()) return;
    long send = System.nanoTime();
    Calls.keepAliveOnce(vertx, cluster.lease(anyMember()), l.id, l.ttlMs / 3).onComplete(ar -> {
      long ttl = ar.succeeded() ? ar.result() : -1;
      synchronized (l) {
        l.renewals.add(new Renewal(send, System.nanoTime(), ttl));
      }
      if (ttl == 0) {
        kept.decrementAndGet(); // gone: the client may keep another one
        return;
      }
      vertx.setTimer(ttl > 0 ? l.ttlMs / 3 : 100, x -> keepAlive(l, kept));
    });
  }

  private <T> Future<T> timed(Future<T> call) {
    return Calls.timed(vertx, call, RegisterWorkload.OP_TIMEOUT_MS);
  }

  /** Stops granting leases; waits until every round (a revoke included) ended. The kept leases stay kept. */
  void stopGranting() {
    granting.set(false);
    Wait.until(Duration.ofMillis(RegisterWorkload.OP_TIMEOUT_MS * 4 + 2_000), "the lease clients' last rounds",
        () -> rounds.get() == 0);
  }

  void stopKeeping() {
    keeping.set(false);
  }

  List<LeaseRecord> records() {
    return leases.stream().map(Lease::record).toList();
  }
}
