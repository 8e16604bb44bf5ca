package io.vkv.node.apply;

import io.vkv.store.ApplyResult;
import io.vkv.store.LogEntry;
import io.vkv.store.MvccStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Applies committed log entries to the store, one LMDB write transaction per batch, then completes the client
 * calls waiting on them. Called from a single thread only (whoever owns the ordered log).
 */
public final class Applier {
  private final MvccStore store;
  private final Waiters waiters;
  private final List<AppliedListener> listeners = new CopyOnWriteArrayList<>();
  private final List<EntryListener> entryListeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> restoreListeners = new CopyOnWriteArrayList<>();
  private volatile long appliedIndex;

  public Applier(MvccStore store, Waiters waiters) {
    this.store = store;
    this.waiters = waiters;
    this.appliedIndex = store.consistentIndex();
  }

  public void addListener(AppliedListener listener) {
    listeners.add(listener);
  }

  public void addEntryListener(EntryListener listener) {
    entryListeners.add(listener);
  }

  /** Told (on the applier thread) after the store's contents were replaced by a snapshot. */
  public void addRestoreListener(Runnable listener) {
    restoreListeners.add(listener);
  }

  /**
   * Replaces the store's contents with the snapshot copy in {@code dir} (atomically, forced to disk), then tells
   * whoever keeps state derived from the store (the watch hub, the lessor) to rebuild it.
   */
  public void restore(java.nio.file.Path dir) {
    store.restore(dir);
    appliedIndex = store.consistentIndex();
    for (Runnable r : restoreListeners) r.run();
  }

  /** Rewrites the store without its free pages; nothing applied changes. Applier thread only. */
  public void defragment() {
    store.defragment();
  }

  /** The membership the store records with its applied index; null while no membership change was applied. */
  public io.vkv.api.internal.ClusterMembers clusterMembers() {
    return store.clusterMembers();
  }

  /** Writes a compacted copy of the store into {@code dir}; returns its consistent index. Applier thread only. */
  public long snapshot(java.nio.file.Path dir) {
    store.snapshot(dir);
    return store.consistentIndex();
  }

  public void apply(List<LogEntry> batch) {
    if (batch.isEmpty()) return;
    List<ApplyResult> results = store.apply(batch);
    appliedIndex = Math.max(appliedIndex, batch.get(batch.size() - 1).index());
    if (!entryListeners.isEmpty()) notifyEntries(batch, results);
    for (AppliedListener l : listeners) l.applied(results);
    waiters.completeAll(results);
  }

  /** Results are the batch's entries above the previous consistent index, in order: pair them up by index. */
  private void notifyEntries(List<LogEntry> batch, List<ApplyResult> results) {
    int i = 0;
    for (ApplyResult r : results) {
      while (batch.get(i).index() != r.index()) i++;
      if (r.error() != null) continue;
      for (EntryListener l : entryListeners) l.applied(batch.get(i).request(), r);
    }
  }

  public long appliedIndex() {
    return appliedIndex;
  }
}
