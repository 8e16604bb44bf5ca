package io.vkv.watch;

import io.vkv.api.mvccpb.Event;
import java.util.List;

/**
 * The events of one committed revision (one put, delete or txn), as the applier hands them to
 * {@link WatchHub#onCommitted}. PUT events carry {@code prev_kv} when the key existed before.
 */
public record Committed(long revision, List<Event> events) {
  public Committed {
    events = List.copyOf(events);
  }
}
