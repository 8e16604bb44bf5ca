package io.vkv.watch;

import com.google.protobuf.ByteString;
import io.vkv.api.etcdserverpb.WatchCreateRequest;
import io.vkv.api.mvccpb.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The watcher registry and fan-out of committed events, after etcd's watchable store.
 *
 * <p>A watcher is in exactly one state: <b>synced</b> (has everything up to the hub's revision;
 * fed directly by {@link #onCommitted}), <b>unsynced</b> (behind; fed from history by
 * {@link #syncUnsynced} in bounded rounds, then moved to synced exactly at the boundary), or a
 * <b>victim</b> (its sink refused a batch; {@link #retryVictims} retries it, after which it is
 * synced again or, if it fell behind, unsynced). Every transition keeps a watcher's
 * {@code nextRevision} exact, so no event is duplicated, skipped or reordered.
 *
 * <p>Threads: one lock guards all state. The applier calls onCommitted; event loops call
 * {@link #watch} and {@link #cancel}; a scheduler calls syncUnsynced and retryVictims. History is
 * read outside the lock, so a slow read never delays onCommitted; sinks never block.
 */
public final class WatchHub {
  private final WatchHistory history;
  private final WatchHubConfig config;
  private final WatcherIndex synced = new WatcherIndex();
  private final WatcherIndex unsynced = new WatcherIndex();
  private final Victims victims;
  private final SharedBudget streamBuffers;
  private final EventRouter router = new EventRouter();
  /** One catch-up round at a time; rounds touch no state outside the main lock. */
  private final ReentrantLock roundLock = new ReentrantLock();
  /** The last revision delivered through onCommitted. Guarded by this. */
  private long revision;

  /** Starts at the history's current revision: construct before the applier applies more. */
  public WatchHub(WatchHistory history, WatchHubConfig config) {
    this.history = history;
    this.config = config;
    this.victims = new Victims(config.victimBytesPerStream(), config.totalVictimBytes());
    this.streamBuffers = new SharedBudget(config.totalStreamBufferBytes());
    this.revision = history.currentRevision();
  }

  /** The budget every stream's {@link BudgetedSink} shares (the config's totalStreamBufferBytes). */
  public SharedBudget streamBuffers() {
    return streamBuffers;
  }

  public WatchHubConfig config() {
    return config;
  }

  /**
   * Registers a watch for the given request. start_revision 0 (or any future revision) makes a
   * synced watcher; a past one makes an unsynced watcher that the next rounds catch up (or cancel
   * with compact_revision). The node sends the {@code created} response itself.
   *
   * @throws IllegalArgumentException if range_end is set and not after key (etcd: empty range)
   */
  public synchronized Watcher watch(WatchSink sink, long watchId, WatchCreateRequest request) {
    ByteString end = request.getRangeEnd();
    ByteString rangeEnd = end.isEmpty() ? null
        : end.size() == 1 && end.byteAt(0) == 0 ? ByteString.EMPTY : end;
    if (rangeEnd != null && !rangeEnd.isEmpty()
        && Watcher.KEY_ORDER.compare(request.getKey(), rangeEnd) >= 0) {
      throw new IllegalArgumentException("mvcc: watcher range is empty");
    }
    boolean noPut = request.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT);
    boolean noDelete = request.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE);
    long start = Math.max(0, request.getStartRevision());
    Watcher w = new Watcher(watchId, request.getKey(), rangeEnd, start, noPut, noDelete,
        request.getPrevKv(), request.getProgressNotify(), sink);
    if (start == 0 || start > revision) {
      w.nextRevision = start == 0 ? revision + 1 : start;
      toSynced(w);
    } else {
      w.nextRevision = start;
      toUnsynced(w);
    }
    return w;
  }

  /** Removes the watcher from whatever state it is in; false if it was already cancelled. */
  public synchronized boolean cancel(Watcher w) {
    switch (w.state) {
      case Watcher.SYNCED -> synced.remove(w);
      case Watcher.UNSYNCED -> unsynced.remove(w);
      case Watcher.VICTIM -> victims.remove(w);
      default -> {
        return false;
      }
    }
    w.state = Watcher.CANCELED;
    return true;
  }

  /**
   * Fans out committed revisions (in order; revisions at or below the hub's are ignored) to the
   * synced watchers: each gets one batch with all its events of these revisions. A refused batch
   * parks the watcher as a victim, or if the stream's parking cap is reached, sends it to catch
   * up from history. Never waits on a sink.
   */
  public synchronized void onCommitted(List<Committed> batch) {
    for (Committed c : batch) {
      if (c.revision() <= revision) {
        continue;
      }
      for (Event e : c.events()) {
        router.route(synced, c.revision(), e, Long.MIN_VALUE);
      }
      revision = c.revision();
    }
    for (Watcher w : router.drain()) {
      List<Event> events = w.takePending();
      WatchBatch b = WatchBatch.events(w, events, revision);
      w.nextRevision = revision + 1;
      if (w.sink().offer(b)) {
        continue;
      }
      synced.remove(w);
      if (victims.park(w, b)) {
        w.state = Watcher.VICTIM;
      } else {
        w.nextRevision = EventRouter.revisionOf(events.get(0));
        toUnsynced(w);
      }
    }
  }

  /** One committed revision; see {@link #onCommitted(List)}. */
  public void onCommitted(Committed c) {
    onCommitted(List.of(c));
  }

  /**
   * One bounded catch-up round: cancels unsynced watchers whose next revision was compacted,
   * reads at most about {@code syncChunkEvents} events of history from the lowest next revision
   * among the rest, hands each watcher its share, and moves those that reached the hub's
   * revision to synced. Returns true if unsynced watchers remain (the scheduler should run
   * another round soon). Returns at once if another round is running.
   */
  public boolean syncUnsynced() {
    if (!roundLock.tryLock()) {
      return true;
    }
    try {
      long compacted = history.compactedRevision();
      long from;
      synchronized (this) {
        from = cancelCompacted(compacted);
        if (from == Long.MAX_VALUE) {
          return !unsynced.isEmpty();
        }
      }
      // outside the lock: commits keep flowing while history is read
      long to = history.currentRevision();
      List<Event> events = List.of();
      if (to >= from) {
        try {
          events = history.history(from, to, config.syncChunkEvents());
        } catch (HistoryCompactedException e) {
          synchronized (this) {
            cancelCompacted(e.compactedRevision());
            return !unsynced.isEmpty();
          }
        }
      }
      // a non-empty answer may have stopped early, but only after a whole revision
      long covered = events.isEmpty() ? Math.max(to, from - 1)
          : EventRouter.revisionOf(events.get(events.size() - 1));
      synchronized (this) {
        deliverChunk(events, from, covered);
        return !unsynced.isEmpty();
      }
    } finally {
      roundLock.unlock();
    }
  }

  /**
   * The store under the hub was replaced by a snapshot (a follower that fell behind the leader's log): every
   * synced watcher becomes unsynced at its next revision and the hub's revision jumps to the new store's. The
   * catch-up rounds then serve each watcher what it missed from the new store's history, or cancel it with
   * compact_revision if that history no longer reaches back to it.
   */
  public synchronized void rebase() {
    List<Watcher> all = new ArrayList<>(synced.size());
    synced.forEach(all::add);
    for (Watcher w : all) {
      synced.remove(w);
      toUnsynced(w);
    }
    revision = Math.max(revision, history.currentRevision());
  }

  /** Retries every victim's parked batch. */
  public synchronized void retryVictims() {
    rehome(victims.retry(null));
  }

  /** The node's signal that sink has room again: retries that stream's victims now. */
  public synchronized void onWritable(WatchSink sink) {
    rehome(victims.retry(sink));
  }

  /**
   * The revision a progress notification reports: every synced watcher has been handed all its
   * events up to it. The node sends it (to a progress_notify watcher idle for the interval, or
   * for a progress request) only when {@link #isSynced} holds for the watchers concerned.
   */
  public synchronized long progressRevision() {
    return revision;
  }

  public synchronized boolean isSynced(Watcher w) {
    return w.state == Watcher.SYNCED;
  }

  public synchronized boolean isCanceled(Watcher w) {
    return w.state == Watcher.CANCELED;
  }

  public synchronized int syncedCount() {
    return synced.size();
  }

  public synchronized int unsyncedCount() {
    return unsynced.size();
  }

  public synchronized int victimCount() {
    return victims.size();
  }

  /**
   * Sends compact_revision to unsynced watchers whose next revision is compacted and cancels
   * them (one whose sink refuses stays, to be told next round, as etcd does). Returns the lowest
   * next revision among the other unsynced watchers, or Long.MAX_VALUE if none.
   */
  private long cancelCompacted(long compacted) {
    List<Watcher> all = allUnsynced();
    long from = Long.MAX_VALUE;
    for (Watcher w : all) {
      if (w.nextRevision > compacted) {
        from = Math.min(from, w.nextRevision);
      } else if (w.sink().offer(WatchBatch.compacted(w, compacted, revision))) {
        unsynced.remove(w);
        w.state = Watcher.CANCELED;
      }
    }
    return from;
  }

  /**
   * Hands the history events of revisions [from, covered] to the unsynced watchers whose next
   * revision lies in that span. A watcher whose sink refuses keeps its next revision and re-reads
   * next round; one that now has everything the hub has seen joins the synced set. Commits that
   * arrived during the read are above covered and reach such a watcher from the next round (it
   * stays unsynced) or, if covered is already past them, are skipped by its next revision.
   */
  private void deliverChunk(List<Event> events, long from, long covered) {
    for (Event e : events) {
      router.route(unsynced, EventRouter.revisionOf(e), e, from);
    }
    router.drain(); // the gathered events live on the watchers; visit all eligible below
    for (Watcher w : allUnsynced()) {
      if (w.nextRevision < from || w.nextRevision > covered) {
        continue;
      }
      List<Event> mine = w.takePending();
      if (mine != null && !w.sink().offer(WatchBatch.events(w, mine, covered))) {
        continue;
      }
      w.nextRevision = covered + 1;
      if (w.nextRevision > revision) {
        unsynced.remove(w);
        toSynced(w);
      }
    }
  }

  private void rehome(List<Watcher> freed) {
    for (Watcher w : freed) {
      if (w.nextRevision > revision) {
        toSynced(w);
      } else {
        toUnsynced(w);
      }
    }
  }

  private void toSynced(Watcher w) {
    w.state = Watcher.SYNCED;
    synced.add(w);
  }

  private void toUnsynced(Watcher w) {
    w.state = Watcher.UNSYNCED;
    unsynced.add(w);
  }

  private List<Watcher> allUnsynced() {
    List<Watcher> all = new ArrayList<>(unsynced.size());
    unsynced.forEach(all::add);
    return all;
  }
}
