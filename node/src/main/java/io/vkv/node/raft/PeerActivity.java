package io.vkv.node.raft;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Since when this member has been hearing from each peer without a gap, as etcd's transport reports "active since":
 * what {@code --strict-reconfig-check} asks before a membership change. Written on the Raft loop, read anywhere.
 */
final class PeerActivity {
  private record Heard(long sinceNanos, long lastNanos) {}

  private final ConcurrentHashMap<Long, Heard> peers = new ConcurrentHashMap<>();
  /** A silence longer than this starts a new active period. */
  private final long gapNanos;

  PeerActivity(long gapNanos) {
    this.gapNanos = gapNanos;
  }

  void heard(long id, long now) {
    peers.compute(id, (k, h) -> h == null || now - h.lastNanos() > gapNanos ? new Heard(now, now) : new Heard(h.sinceNanos(), now));
  }

  /** When the current active period with {@code id} began (System.nanoTime), or -1 if it is not active now. */
  long activeSince(long id, long now) {
    Heard h = peers.get(id);
    return h == null || now - h.lastNanos() > gapNanos ? -1 : h.sinceNanos();
  }
}
