package io.vkv.node.raft;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Since when this member has been hearing from each peer without a gap, as etcd's transport reports "active since":
 * what {@code --strict-reconfig-check} asks before a membership change. Written on the Raft loop for every frame
 * received (so without allocating once a peer is known), read from any thread.
 */
final class PeerActivity {
  /** One peer's current active period; written by the Raft loop only. */
  private static final class Heard {
    volatile long sinceNanos;
    volatile long lastNanos;
  }

  private final ConcurrentHashMap<Long, Heard> peers = new ConcurrentHashMap<>();
  /** A silence longer than this starts a new active period. */
  private final long gapNanos;

  PeerActivity(long gapNanos) {
    this.gapNanos = gapNanos;
  }

  void heard(long id, long now) {
    Heard h = peers.get(id);
    if (h == null) {
      h = new Heard();
      h.sinceNanos = now;
      peers.put(id, h);
    } else if (now - h.lastNanos > gapNanos) {
      h.sinceNanos = now;
    }
    h.lastNanos = now;
  }

  /** When the current active period with {@code id} began (System.nanoTime), or -1 if it is not active now. */
  long activeSince(long id, long now) {
    Heard h = peers.get(id);
    if (h == null) return -1;
    long since = h.sinceNanos;
    return now - h.lastNanos > gapNanos ? -1 : since;
  }
}
