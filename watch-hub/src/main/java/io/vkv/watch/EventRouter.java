package io.vkv.watch;

import io.vkv.api.mvccpb.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Routes events to the watchers of an index: applies the revision bound, the NOPUT/NODELETE
 * filters and prev_kv stripping, and gathers each watcher's events in order on the watcher
 * itself. One instance per hub, used only under the hub's lock.
 */
final class EventRouter implements Consumer<Watcher> {
  private final ArrayList<Watcher> touched = new ArrayList<>();
  private Event event;
  private Event withoutPrevKv; // made once per event, shared by every watcher that needs it
  private long revision;
  private long minNext;

  /**
   * Gathers e (of the given revision) for every watcher in index that matches its key, has not
   * had this revision yet, and whose next revision is at least minNext (the start of the range
   * the caller has complete history for).
   */
  void route(WatcherIndex index, long revision, Event e, long minNext) {
    this.event = e;
    this.withoutPrevKv = null;
    this.revision = revision;
    this.minNext = minNext;
    index.forEachMatch(e.getKv().getKey(), this);
    this.event = null;
    this.withoutPrevKv = null;
  }

  @Override
  public void accept(Watcher w) {
    if (revision < w.nextRevision || w.nextRevision < minNext || !w.wants(event.getType())) {
      return;
    }
    Event out = event;
    if (!w.prevKv() && event.hasPrevKv()) {
      if (withoutPrevKv == null) {
        withoutPrevKv = event.toBuilder().clearPrevKv().build();
      }
      out = withoutPrevKv;
    }
    if (w.pending == null) {
      touched.add(w);
    }
    w.gather(out);
  }

  /** The watchers that gathered events since the last call, in first-touched order. */
  List<Watcher> drain() {
    List<Watcher> out = new ArrayList<>(touched);
    touched.clear();
    return out;
  }

  static long revisionOf(Event e) {
    return e.getKv().getModRevision();
  }
}
