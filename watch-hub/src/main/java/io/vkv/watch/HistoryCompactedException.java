package io.vkv.watch;

/**
 * Thrown by {@link WatchHistory#history} when the requested revisions were compacted away. The
 * node's adapter translates the store's COMPACTED error into this, keeping the hub free of the
 * store's (and Vert.x's) error types.
 */
public final class HistoryCompactedException extends RuntimeException {
  private final long compactedRevision;

  public HistoryCompactedException(long compactedRevision) {
    super("etcdserver: mvcc: required revision has been compacted", null, false, false);
    this.compactedRevision = compactedRevision;
  }

  public long compactedRevision() {
    return compactedRevision;
  }
}
