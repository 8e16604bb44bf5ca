package io.vkv.node.apply;

import io.vkv.store.ApplyResult;
import io.vkv.store.LogEntry;
import io.vkv.store.MvccStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongPredicate;

/**
 * Applies committed log entries to the store, one LMDB write transaction per batch, then completes the client
 * calls waiting on them. Called from a single thread only (whoever owns the ordered log).
 */
public final class Applier {
  private final MvccStore store;
  private final Waiters waiters;
  private final LongPredicate leaseExists;
  private final List<AppliedListener> listeners = new CopyOnWriteArrayList<>();
  private volatile long appliedIndex;

  public Applier(MvccStore store, Waiters waiters, LongPredicate leaseExists) {
    this.store = store;
    this.waiters = waiters;
    this.leaseExists = leaseExists;
    this.appliedIndex = store.consistentIndex();
  }

  public void addListener(AppliedListener listener) {
    listeners.add(listener);
  }

  public void apply(List<LogEntry> batch) {
    if (batch.isEmpty()) return;
    List<ApplyResult> results = store.apply(batch, leaseExists);
    appliedIndex = Math.max(appliedIndex, batch.get(batch.size() - 1).index());
    for (AppliedListener l : listeners) l.applied(results);
    for (ApplyResult r : results) waiters.complete(r);
  }

  public long appliedIndex() {
    return appliedIndex;
  }
}
