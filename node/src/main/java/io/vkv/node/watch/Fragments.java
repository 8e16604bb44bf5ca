package io.vkv.node.watch;

import com.google.protobuf.CodedOutputStream;
import io.vkv.api.etcdserverpb.WatchResponse;
import io.vkv.api.mvccpb.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * etcd's watch fragmentation: a response of at least maxBytes with two or more events is split into responses
 * with fragment=true, each grown until adding an event reaches maxBytes (a single event may exceed it), and the
 * last one with fragment=false.
 */
final class Fragments {
  private static final int EVENTS_FIELD = WatchResponse.EVENTS_FIELD_NUMBER;

  static List<WatchResponse> split(WatchResponse r, int maxBytes) {
    if (r.getEventsCount() < 2 || r.getSerializedSize() < maxBytes) return List.of(r);
    WatchResponse shell = r.toBuilder().clearEvents().setFragment(true).build();
    int shellBytes = shell.getSerializedSize();
    List<WatchResponse> out = new ArrayList<>();
    WatchResponse.Builder cur = shell.toBuilder();
    int size = shellBytes;
    for (Event e : r.getEventsList()) {
      int eventBytes = CodedOutputStream.computeMessageSize(EVENTS_FIELD, e);
      if (cur.getEventsCount() > 0 && size + eventBytes >= maxBytes) {
        out.add(cur.build());
        cur = shell.toBuilder();
        size = shellBytes;
      }
      cur.addEvents(e);
      size += eventBytes;
    }
    out.add(cur.setFragment(false).build());
    return out;
  }

  private Fragments() {}
}
