package io.vkv.node.fault;

/**
 * What one watcher must have received: every write to a watched key with {@code startRev <= mod_revision <=
 * caughtUpRev}, exactly once ({@code caughtUpRev}: the store's revision once the writers stopped, which the watcher
 * was awaited past).
 */
public record WatcherSpan(int watcher, long startRev, long caughtUpRev, int streams) {

  String toLine() {
    return String.join("\t", "WS", String.valueOf(watcher), String.valueOf(startRev), String.valueOf(caughtUpRev),
        String.valueOf(streams));
  }

  static WatcherSpan fromFields(String[] f) {
    return new WatcherSpan(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Integer.parseInt(f[4]));
  }
}
