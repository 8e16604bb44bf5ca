package io.vkv.watch;

import io.vkv.api.etcdserverpb.ResponseHeader;
import io.vkv.api.etcdserverpb.WatchResponse;
import io.vkv.api.mvccpb.Event;
import java.util.List;

/**
 * What the hub hands a sink: the events of whole revisions for one watcher (a revision is never
 * split across batches), or a compaction notice that cancels the watcher.
 *
 * <p>{@link #bytes()} is the approximate wire size, used for per-stream byte budgets.
 */
public final class WatchBatch {
  /** Per-event framing on top of the event's own size (tag, length, repeated-field overhead). */
  private static final int EVENT_OVERHEAD = 8;
  private static final int RESPONSE_OVERHEAD = 48;

  private final Watcher watcher;
  private final List<Event> events;
  private final long revision;
  private final long compactRevision;
  private final int bytes;

  private WatchBatch(Watcher watcher, List<Event> events, long revision, long compactRevision) {
    this.watcher = watcher;
    this.events = events;
    this.revision = revision;
    this.compactRevision = compactRevision;
    int size = RESPONSE_OVERHEAD;
    for (Event e : events) {
      size += e.getSerializedSize() + EVENT_OVERHEAD;
    }
    this.bytes = size;
  }

  static WatchBatch events(Watcher watcher, List<Event> events, long revision) {
    return new WatchBatch(watcher, events, revision, 0);
  }

  static WatchBatch compacted(Watcher watcher, long compactRevision, long revision) {
    return new WatchBatch(watcher, List.of(), revision, compactRevision);
  }

  public Watcher watcher() {
    return watcher;
  }

  public List<Event> events() {
    return events;
  }

  /** The revision for the response header: everything up to it has been sent to this watcher. */
  public long revision() {
    return revision;
  }

  /** Non-zero: the watcher's next revision was compacted; it is cancelled. */
  public long compactRevision() {
    return compactRevision;
  }

  public boolean isCompaction() {
    return compactRevision != 0;
  }

  public int bytes() {
    return bytes;
  }

  /** The etcd response, with the node's header (cluster, member, term) and this revision. */
  public WatchResponse toResponse(ResponseHeader header) {
    WatchResponse.Builder b = WatchResponse.newBuilder()
        .setHeader(header.toBuilder().setRevision(revision))
        .setWatchId(watcher.id())
        .addAllEvents(events);
    if (compactRevision != 0) {
      b.setCompactRevision(compactRevision).setCanceled(true);
    }
    return b.build();
  }
}
