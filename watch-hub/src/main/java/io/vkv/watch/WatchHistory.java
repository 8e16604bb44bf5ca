package io.vkv.watch;

import io.vkv.api.mvccpb.Event;
import java.util.List;

/**
 * The read-only view of the store's history the hub catches watchers up from. The node adapts
 * the MVCC store to it, so the hub needs neither the store module nor its threads.
 *
 * <p>Contract the hub relies on: every revision holds at least one event; a committed batch is
 * readable here before the applier hands it to {@link WatchHub#onCommitted}.
 */
public interface WatchHistory {

  /**
   * Events with {@code fromRevision <= revision <= toRevisionInclusive}, in revision order, with
   * {@code prev_kv} set where the key existed before. May stop early, but only at a revision
   * boundary (a revision is never split), once about {@code maxEvents} events are gathered.
   *
   * @throws HistoryCompactedException if {@code fromRevision <= compactedRevision()}
   */
  List<Event> history(long fromRevision, long toRevisionInclusive, int maxEvents);

  /** The revision the store was last compacted at; history at or below it is gone. */
  long compactedRevision();

  /** The newest revision readable through {@link #history}. */
  long currentRevision();
}
