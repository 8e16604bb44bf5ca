package io.vkv.node.lock;

import com.google.protobuf.ByteString;
import io.vertx.core.Context;
import io.vkv.api.etcdserverpb.Compare;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.etcdserverpb.TxnResponse;
import io.vkv.api.etcdserverpb.DeleteRangeRequest;
import io.vkv.api.etcdserverpb.ResponseHeader;
import io.vkv.api.internal.InternalRequest;
import io.vkv.api.internal.RequestHeader;
import io.vkv.store.ApplyResult;
import io.vkv.store.MvccReader;
import io.vkv.api.mvccpb.KeyValue;
import io.vkv.node.apply.Proposer;
import io.vkv.node.auth.AuthGate;
import io.vkv.node.lease.LeaderLeases;
import io.vkv.node.lease.LeaseRuntime;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * What the lock and election services are built from, after etcd's client-side concurrency package but run in
 * the server: txns through Raft, linearizable reads, and waiting until every key of a prefix created before a
 * given revision is deleted (the queue discipline that makes the oldest key the owner).
 */
public final class Coordination {
  private final Proposer proposer;
  private final MvccReader store;
  private final LeaseRuntime leases;
  private final AuthGate auth;
  private final KeyEvents events;
  /** This member's response header at a revision (the one every other service answers with). */
  private final LongFunction<ResponseHeader> header;
  /** Whom the txns, leases and reads are made for: permissions are the caller's, as with etcd's client-side recipes. */
  private final RequestHeader who;

  public Coordination(Proposer proposer, MvccReader store, LeaseRuntime leases, AuthGate auth, KeyEvents events,
      LongFunction<ResponseHeader> header) {
    this(proposer, store, leases, auth, events, header, RequestHeader.getDefaultInstance());
  }

  private Coordination(Proposer proposer, MvccReader store, LeaseRuntime leases, AuthGate auth, KeyEvents events,
      LongFunction<ResponseHeader> header, RequestHeader who) {
    this.proposer = proposer;
    this.store = store;
    this.leases = leases;
    this.auth = auth;
    this.events = events;
    this.header = header;
    this.who = who;
  }

  /**
   * This coordination acting as the caller of the call being served (call on the call's own context); fails with
   * INVALID_AUTH_TOKEN for a bad token.
   */
  CompletableFuture<Coordination> forCaller() {
    try {
      return CompletableFuture.completedFuture(new Coordination(proposer, store, leases, auth, events, header, auth.caller()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The caller left before getting a lock or leadership: its key goes, so the next in line is not held up by it. */
  <T> CompletableFuture<T> giveUp(ByteString key) {
    return delete(key).thenApply(r -> {
      throw new java.util.concurrent.CancellationException("the waiter gave up");
    });
  }

  ResponseHeader header(long revision) {
    return header.apply(revision);
  }

  ResponseHeader currentHeader() {
    return header.apply(store.currentRevision());
  }

  KeyEvents events() {
    return events;
  }

  CompletableFuture<TxnResponse> txn(TxnRequest t) {
    return proposer.propose(InternalRequest.newBuilder().setHeader(who).setTxn(t).build()).thenApply(r -> {
      if (r.error() != null) throw r.error();
      return (TxnResponse) r.response();
    });
  }

  /**
   * The lease a lock or campaign runs under: the caller's, or with lease 0 a new one of 60 s, as etcd's servers
   * open a session with its default TTL.
   */
  CompletableFuture<Long> sessionLease(long lease) {
    if (lease != 0) return CompletableFuture.completedFuture(lease);
    long id = leases.newId();
    return proposer.propose(InternalRequest.newBuilder().setHeader(who).setLeaseGrant(
        io.vkv.api.etcdserverpb.LeaseGrantRequest.newBuilder().setID(id).setTTL(60)).build()).thenApply(r -> {
          if (r.error() != null) throw r.error();
          return id;
        });
  }

  /** A linearizable read (ReadIndex, then the local store). */
  CompletableFuture<RangeResponse> read(RangeRequest r) {
    try {
      if (auth.enabled()) auth.checkRead(who, r.getKey(), r.getRangeEnd());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return proposer.readBarrier().thenApply(v -> store.range(r));
  }

  /** Deletes one key as the caller. */
  CompletableFuture<ApplyResult> delete(ByteString key) {
    return proposer.propose(InternalRequest.newBuilder().setHeader(who)
        .setDeleteRange(DeleteRangeRequest.newBuilder().setKey(key)).build());
  }

  static Compare createRevisionIs(ByteString key, long rev) {
    return Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.CREATE)
        .setResult(Compare.CompareResult.EQUAL).setCreateRevision(rev).build();
  }

  /** The key of the prefix created first (the owner / leader), or the newest created at or below maxCreate. */
  static RangeRequest byCreate(ByteString prefix, boolean first, long maxCreate) {
    RangeRequest.Builder b = RangeRequest.newBuilder().setKey(prefix).setRangeEnd(prefixEnd(prefix)).setLimit(1)
        .setSortTarget(RangeRequest.SortTarget.CREATE)
        .setSortOrder(first ? RangeRequest.SortOrder.ASCEND : RangeRequest.SortOrder.DESCEND);
    if (maxCreate > 0) b.setMaxCreateRevision(maxCreate);
    return b.build();
  }

  /** Completes once no key of {@code prefix} with create revision ≤ maxCreate is left. */
  CompletableFuture<Void> waitDeletes(ByteString prefix, long maxCreate, Context context) {
    return read(byCreate(prefix, false, maxCreate)).thenCompose(r -> {
      if (r.getKvsCount() == 0) return CompletableFuture.completedFuture(null);
      KeyValue newestBefore = r.getKvs(0);
      CompletableFuture<Void> gone = events.deletion(newestBefore.getKey(), context);
      if (store.range(RangeRequest.newBuilder().setKey(newestBefore.getKey()).build()).getKvsCount() == 0) {
        gone = CompletableFuture.completedFuture(null); // deleted before we registered
      }
      return gone.thenCompose(v -> waitDeletes(prefix, maxCreate, context));
    });
  }

  /**
   * Whether the key is still there and its lease still alive: after waiting, a lease may have expired, and the
   * key with it (Jepsen found etcd's lock granted on an expired lease).
   */
  CompletableFuture<Boolean> stillHeld(ByteString key, long lease) {
    return read(RangeRequest.newBuilder().setKey(key).build()).thenCompose(r -> {
      if (r.getKvsCount() == 0) return CompletableFuture.completedFuture(false);
      if (lease == 0) return CompletableFuture.completedFuture(true);
      return leases.leader().timeToLive(lease).thenApply(LeaderLeases.Answer::found);
    });
  }

  static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ByteString.copyFrom(new byte[] {0}); // all 0xFF: to the end of the key space
  }
}
