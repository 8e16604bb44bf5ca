package io.vkv.client;

import io.vkv.api.EtcdError;

/**
 * The revision a watch had to start (or resume) from was compacted away: the watch has ended, and events between
 * that revision and {@link #compactRevision()} can no longer be replayed. Re-read the state and watch again from
 * a later revision.
 */
public final class WatchCompactedException extends VkvException {
  private final long compactRevision;

  WatchCompactedException(long compactRevision) {
    super(EtcdError.COMPACTED.status(), EtcdError.COMPACTED.message(), null);
    this.compactRevision = compactRevision;
  }

  /** The revision the store was compacted to; the oldest a new watch can start from. */
  public long compactRevision() {
    return compactRevision;
  }
}
