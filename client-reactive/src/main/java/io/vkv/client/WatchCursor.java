package io.vkv.client;

import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.WatchCreateRequest;
import io.vkv.api.etcdserverpb.WatchResponse;
import io.vkv.api.mvccpb.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a watch stands, across every stream it is resumed on: the first revision not yet received, and the
 * fragments of a split response. Turns raw responses into what the application may see: fragments joined, events
 * already received dropped (a resumed stream may replay them), compaction and server cancels as errors.
 * Pure logic, no I/O; one instance per watch, used on the watch's context only.
 */
final class WatchCursor {
  /** What one response means for the watch. */
  record Step(WatchEvents deliver, VkvException error, boolean created) {
    static final Step NOTHING = new Step(null, null, false);
    static final Step CREATED = new Step(null, null, true);
  }

  private final WatchCreateRequest base;
  /** The first revision not yet received; 0 until the first created response when the watch starts "now". */
  private long nextRevision;
  private final List<Event> fragments = new ArrayList<>();
  private volatile long fragmentBytes;
  private long createdRevision = -1;

  WatchCursor(WatchCreateRequest base) {
    this.base = base;
    this.nextRevision = base.getStartRevision();
  }

  /** The create request for the next stream: resumes right after the last revision received. */
  WatchCreateRequest createRequest() {
    return base.toBuilder().setStartRevision(nextRevision).setWatchId(0).build();
  }

  long nextRevision() {
    return nextRevision;
  }

  /** The header revision of the first created response, -1 before it. */
  long createdRevision() {
    return createdRevision;
  }

  /** Bytes of fragments waiting for the rest of their response. */
  long fragmentBytes() {
    return fragmentBytes;
  }

  /** A stream broke: a partly received response will be sent again in full from {@link #nextRevision()}. */
  void streamLost() {
    fragments.clear();
    fragmentBytes = 0;
  }

  Step accept(WatchResponse r) {
    long headerRevision = r.getHeader().getRevision();
    if (r.getCompactRevision() != 0) return new Step(null, new WatchCompactedException(r.getCompactRevision()), false);
    if (r.getCanceled()) return new Step(null, canceled(r.getCancelReason()), false);
    if (r.getCreated()) {
      // etcd: start revision 0 means "after the created header's revision"; pin it so a resume misses nothing
      if (nextRevision == 0) nextRevision = headerRevision + 1;
      if (createdRevision < 0) createdRevision = headerRevision;
      return Step.CREATED;
    }
    long bytes = r.getSerializedSize();
    if (r.getFragment()) {
      fragments.addAll(r.getEventsList());
      fragmentBytes += bytes;
      return Step.NOTHING;
    }
    List<Event> events = r.getEventsList();
    if (!fragments.isEmpty()) {
      fragments.addAll(events);
      events = new ArrayList<>(fragments);
      bytes += fragmentBytes;
      streamLost();
    }
    if (events.isEmpty()) {
      // a progress notification: every change up to the header revision has been sent
      if (headerRevision >= nextRevision) nextRevision = headerRevision + 1;
      return new Step(new WatchEvents(headerRevision, List.of(), bytes), null, false);
    }
    long floor = nextRevision;
    List<Event> fresh = events;
    if (events.get(0).getKv().getModRevision() < floor) {
      fresh = new ArrayList<>(events.size());
      for (Event e : events) if (e.getKv().getModRevision() >= floor) fresh.add(e);
      if (fresh.isEmpty()) return Step.NOTHING;
    }
    nextRevision = fresh.get(fresh.size() - 1).getKv().getModRevision() + 1;
    return new Step(new WatchEvents(headerRevision, fresh, bytes), null, false);
  }

  /** A server-side cancel other than compaction, e.g. an empty range or a permission error. */
  private static VkvException canceled(String reason) {
    for (EtcdError e : EtcdError.values()) {
      if (e.message().equals(reason)) return new VkvException(e.status(), reason, null);
    }
    return new VkvException(io.vertx.grpc.common.GrpcStatus.CANCELLED,
        "watch canceled by the server" + (reason.isEmpty() ? "" : ": " + reason), null);
  }
}
