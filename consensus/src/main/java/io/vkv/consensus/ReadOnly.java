package io.vkv.consensus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Leader bookkeeping for ReadIndex (thesis §6.4): each read records the commit index when it
 * arrived and waits for a quorum to acknowledge a heartbeat carrying its context. An ack for a
 * later read also confirms every earlier one, so reads queued behind one heartbeat round are
 * released as a batch.
 */
final class ReadOnly {
  /** A pending read: the request (its {@code from} and {@code context}) and its read index. */
  record Pending(Message request, long index, Set<Long> acks) {}

  /** Keyed by {@link Bytes#key} of the context; contexts must be unique per read. */
  private final Map<String, Pending> pending = new HashMap<>();
  /** Contexts in arrival order. */
  private final ArrayDeque<String> queue = new ArrayDeque<>();

  void add(long index, Message req) {
    String k = Bytes.key(req.context());
    if (pending.containsKey(k)) {
      return;
    }
    pending.put(k, new Pending(req, index, new HashSet<>()));
    queue.addLast(k);
  }

  /** Records that {@code id} acknowledged the heartbeat for {@code ctx}; returns the ack set. */
  Set<Long> ack(long id, byte[] ctx) {
    Pending p = pending.get(Bytes.key(ctx));
    if (p == null) {
      return Set.of();
    }
    p.acks.add(id);
    return p.acks;
  }

  /** Releases the read for {@code ctx} and all reads queued before it. */
  List<Pending> advance(byte[] ctx) {
    String k = Bytes.key(ctx);
    List<Pending> out = new ArrayList<>();
    if (!pending.containsKey(k)) {
      return out;
    }
    while (!queue.isEmpty()) {
      String head = queue.removeFirst();
      out.add(pending.remove(head));
      if (head.equals(k)) {
        break;
      }
    }
    return out;
  }

  /** The most recent pending context, to attach to a heartbeat, or null. */
  byte[] lastPendingContext() {
    return queue.isEmpty() ? null : pending.get(queue.peekLast()).request().context();
  }

  int size() {
    return queue.size();
  }

  void clear() {
    pending.clear();
    queue.clear();
  }
}
