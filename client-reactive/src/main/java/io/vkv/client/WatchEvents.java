package io.vkv.client;

import io.vkv.api.mvccpb.Event;
import java.util.List;

/**
 * What a watch delivers: the events of one or more whole revisions in revision order (a transaction's events are
 * never split), or, with no events, a progress notification saying that every change up to {@link #revision()}
 * has been delivered.
 */
public final class WatchEvents {
  private final long revision;
  private final List<Event> events;
  /** Wire size of what this was built from: the client's count of received-but-undelivered bytes. */
  final long wireBytes;

  WatchEvents(long revision, List<Event> events, long wireBytes) {
    this.revision = revision;
    this.events = List.copyOf(events);
    this.wireBytes = wireBytes;
  }

  /** The store revision in the server's response header. */
  public long revision() {
    return revision;
  }

  /** Unmodifiable; empty for a progress notification. */
  public List<Event> events() {
    return events;
  }

  public boolean isProgressNotify() {
    return events.isEmpty();
  }

  /** The revision of the last event, or {@link #revision()} for a progress notification. */
  public long lastRevision() {
    return events.isEmpty() ? revision : events.get(events.size() - 1).getKv().getModRevision();
  }

  @Override
  public String toString() {
    return "WatchEvents{revision=" + revision + ", events=" + events.size() + "}";
  }
}
