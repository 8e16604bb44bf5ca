package io.vkv.node.watch;

import com.google.protobuf.ByteString;
import io.vkv.api.EtcdError;
import io.vkv.api.EtcdException;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.mvccpb.Event;
import io.vkv.api.mvccpb.KeyValue;
import io.vkv.store.MvccReader;
import io.vkv.watch.HistoryCompactedException;
import io.vkv.watch.WatchHistory;
import java.util.ArrayList;
import java.util.List;

/**
 * The store's history as the watch hub reads it.
 *
 * <p>One twist: the store refuses history from its compacted revision C itself, while etcd serves a watch that
 * starts exactly at C (it cancels only below C). So this adapter reports C - 1 as the compacted revision and
 * serves revision C from a read of the key space at C: the puts made at C survive compaction (each is its key's
 * newest version at or below C), so they come back, in key order and without prev_kv; deletions at C are gone,
 * as they are in etcd. Compaction revisions the hub hands out are mapped back with {@link #actualCompactRevision}.
 */
public final class StoreWatchHistory implements WatchHistory {
  private static final ByteString ALL = ByteString.copyFrom(new byte[] {0});

  private final MvccReader store;

  public StoreWatchHistory(MvccReader store) {
    this.store = store;
  }

  /** The compaction revision to tell a client, from the one this adapter reported to the hub. */
  public static long actualCompactRevision(long reported) {
    return reported + 1;
  }

  @Override
  public List<Event> history(long fromRevision, long toRevisionInclusive, int maxEvents) {
    long compacted = store.compactedRevision();
    try {
      if (compacted == 0 || fromRevision != compacted) {
        return store.history(fromRevision, toRevisionInclusive, maxEvents);
      }
      List<Event> out = putsAt(compacted);
      if (toRevisionInclusive > compacted && out.size() < maxEvents) {
        out.addAll(store.history(compacted + 1, toRevisionInclusive, maxEvents - out.size()));
      }
      return out;
    } catch (EtcdException e) {
      if (e.error() != EtcdError.COMPACTED) throw e;
      throw new HistoryCompactedException(reported(store.compactedRevision()));
    }
  }

  @Override
  public long compactedRevision() {
    return reported(store.compactedRevision());
  }

  @Override
  public long currentRevision() {
    return store.currentRevision();
  }

  private static long reported(long compacted) {
    return compacted > 0 ? compacted - 1 : 0;
  }

  /** The surviving events of revision rev: one scan of the key space at rev (rare: only watches starting there). */
  private List<Event> putsAt(long rev) {
    List<KeyValue> kvs = store.range(RangeRequest.newBuilder()
        .setKey(ALL).setRangeEnd(ALL).setRevision(rev).setMinModRevision(rev).setMaxModRevision(rev)
        .build()).getKvsList();
    List<Event> out = new ArrayList<>(kvs.size());
    for (KeyValue kv : kvs) {
      out.add(Event.newBuilder().setType(Event.EventType.PUT).setKv(kv).build());
    }
    return out;
  }
}
