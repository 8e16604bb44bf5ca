package io.vkv.watch;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.function.Consumer;

/**
 * A set of watchers findable by event key: single-key watchers in a hash map on the key bytes,
 * range watchers in an {@link IntervalTree}. The hub keeps one for synced and one for unsynced
 * watchers, like etcd's watcherGroup.
 */
final class WatcherIndex {
  private final HashMap<ByteString, Object> exact = new HashMap<>();
  private final IntervalTree ranges = new IntervalTree();
  private int size;

  void add(Watcher w) {
    if (w.rangeEnd() == null) {
      exact.put(w.key(), Slots.add(exact.get(w.key()), w));
    } else {
      ranges.add(w);
    }
    size++;
  }

  /** Removes a watcher known to be in this index. */
  void remove(Watcher w) {
    if (w.rangeEnd() == null) {
      Object rest = Slots.remove(exact.get(w.key()), w);
      if (rest == null) {
        exact.remove(w.key());
      } else {
        exact.put(w.key(), rest);
      }
    } else {
      ranges.remove(w);
    }
    size--;
  }

  /** Every watcher whose key or range contains key; each at most once. */
  void forEachMatch(ByteString key, Consumer<Watcher> out) {
    Slots.forEach(exact.get(key), out);
    ranges.stab(key, out);
  }

  void forEach(Consumer<Watcher> out) {
    for (Object slot : exact.values()) {
      Slots.forEach(slot, out);
    }
    ranges.forEach(out);
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }
}
