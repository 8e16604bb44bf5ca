package io.vkv.watch;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Watchers whose sink refused a batch. Each holds only the batch it was refused, and the bytes
 * parked per stream are capped, so a stalled stream costs bounded memory; past the cap the
 * caller sends the watcher to catch up from history instead. Used under the hub's lock.
 */
final class Victims {
  private final LinkedHashSet<Watcher> parked = new LinkedHashSet<>();
  private final IdentityHashMap<WatchSink, long[]> bytesBySink = new IdentityHashMap<>();
  private final long bytesPerStream;
  private final long totalBytes;
  private long parkedBytes;

  Victims(long bytesPerStream, long totalBytes) {
    this.bytesPerStream = bytesPerStream;
    this.totalBytes = totalBytes;
  }

  /** Parks w with its refused batch; false (nothing kept) if the stream's or the hub's cap would be passed. */
  boolean park(Watcher w, WatchBatch refused) {
    long[] used = bytesBySink.get(w.sink());
    long now = used == null ? 0 : used[0];
    if (now + refused.bytes() > bytesPerStream || parkedBytes + refused.bytes() > totalBytes) {
      return false;
    }
    parkedBytes += refused.bytes();
    if (used == null) {
      bytesBySink.put(w.sink(), used = new long[1]);
    }
    used[0] += refused.bytes();
    w.parked = refused;
    parked.add(w);
    return true;
  }

  void remove(Watcher w) {
    if (parked.remove(w)) {
      release(w);
    }
  }

  /**
   * Offers each parked batch again (only those of sink, or all when sink is null) and returns
   * the watchers whose batch was taken, in parking order; they are no longer victims.
   */
  List<Watcher> retry(WatchSink sink) {
    List<Watcher> freed = new ArrayList<>();
    for (Iterator<Watcher> it = parked.iterator(); it.hasNext(); ) {
      Watcher w = it.next();
      if ((sink == null || w.sink() == sink) && w.sink().offer(w.parked)) {
        it.remove();
        release(w);
        freed.add(w);
      }
    }
    return freed;
  }

  int size() {
    return parked.size();
  }

  private void release(Watcher w) {
    long[] used = bytesBySink.get(w.sink());
    used[0] -= w.parked.bytes();
    parkedBytes -= w.parked.bytes();
    if (used[0] == 0) {
      bytesBySink.remove(w.sink());
    }
    w.parked = null;
  }
}
