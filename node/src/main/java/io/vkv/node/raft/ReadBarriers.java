package io.vkv.node.raft;

import io.vkv.api.EtcdError;
import io.vkv.api.EtcdException;
import io.vkv.consensus.RawNode;
import io.vkv.consensus.ReadState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * Linearizable reads by ReadIndex. The reads that arrive in one loop turn share one read-index request (its
 * context is this member's id and a sequence number: the leader keys pending reads by context, so contexts must
 * be unique across members); once the core confirms an index, they are released when the applied index
 * reaches it, and then read the local store. A request whose answer is lost is asked again after
 * {@code retryNanos}; a read that cannot be confirmed within {@code maxWaitNanos} fails ("no leader" or
 * "request timed out") instead of hanging. Loop thread only.
 */
final class ReadBarriers {
  private static final class Batch {
    final List<CompletableFuture<Void>> reads;
    final long since;
    long askedAt;

    Batch(List<CompletableFuture<Void>> reads, long since) {
      this.reads = reads;
      this.since = since;
    }
  }

  private final long localId;
  private final long retryNanos;
  private final long maxWaitNanos;
  /** Told how long each released read waited, in nanoseconds. */
  private final LongConsumer waited;
  private long nextContext = 1;
  /** Asked (or waiting to be asked, askedAt = 0 after a refusal), by context. */
  private final Map<Long, Batch> asked = new LinkedHashMap<>();
  /** Confirmed, by read index: released once applied reaches it. */
  private final TreeMap<Long, List<Batch>> confirmed = new TreeMap<>();

  ReadBarriers(long localId, long retryNanos, long maxWaitNanos, LongConsumer waited) {
    this.localId = localId;
    this.retryNanos = retryNanos;
    this.maxWaitNanos = maxWaitNanos;
    this.waited = waited;
  }

  /** One read-index request for every read drained in this turn. */
  void request(RawNode node, List<CompletableFuture<Void>> reads, long now) {
    if (reads.isEmpty()) return;
    ask(node, new Batch(reads, now), now);
  }

  private void ask(RawNode node, Batch b, long now) {
    long ctx = nextContext++;
    b.askedAt = node.readIndex(ByteBuffer.allocate(16).putLong(localId).putLong(ctx).array()) ? now : 0;
    asked.put(ctx, b);
  }

  void confirmed(List<ReadState> states, long applied) {
    for (ReadState rs : states) {
      ByteBuffer ctx = ByteBuffer.wrap(rs.context());
      if (rs.context().length != 16 || ctx.getLong() != localId) continue;
      Batch b = asked.remove(ctx.getLong());
      if (b != null) confirmed.computeIfAbsent(rs.index(), i -> new ArrayList<>()).add(b);
    }
    applied(applied);
  }

  void applied(long applied) {
    long now = System.nanoTime();
    while (!confirmed.isEmpty() && confirmed.firstKey() <= applied) {
      for (Batch b : confirmed.pollFirstEntry().getValue()) {
        for (CompletableFuture<Void> r : b.reads) {
          waited.accept(now - b.since);
          r.complete(null);
        }
      }
    }
  }

  /** Per tick: ask again where the answer is overdue (or a leader may now be known), fail what waited too long. */
  void tick(RawNode node, boolean leaderKnown, long now) {
    if (asked.isEmpty()) return;
    List<Batch> again = new ArrayList<>();
    for (Iterator<Batch> it = asked.values().iterator(); it.hasNext(); ) {
      Batch b = it.next();
      if (now - b.since >= maxWaitNanos) {
        it.remove();
        EtcdException e = (leaderKnown ? EtcdError.TIMEOUT : EtcdError.NO_LEADER).exception();
        b.reads.forEach(r -> r.completeExceptionally(e));
      } else if (b.askedAt == 0 || now - b.askedAt >= retryNanos) {
        it.remove();
        again.add(b);
      }
    }
    for (Batch b : again) ask(node, b, now);
  }

  void failAll(EtcdException cause) {
    asked.values().forEach(b -> b.reads.forEach(r -> r.completeExceptionally(cause)));
    confirmed.values().forEach(l -> l.forEach(b -> b.reads.forEach(r -> r.completeExceptionally(cause))));
    asked.clear();
    confirmed.clear();
  }
}
