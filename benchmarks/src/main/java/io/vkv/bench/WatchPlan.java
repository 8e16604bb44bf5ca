package io.vkv.bench;

import java.time.Duration;

/**
 * The shape of a watch run: who watches what on which stream, and which puts they should see. Watcher {@code i}
 * watches key {@code i % watchedKeys} (round-robin) and lives on stream {@code i * streams / watchers} (contiguous
 * blocks), so the watchers of one key are spread over many streams and one put fans out across streams. Put
 * {@code j} writes key {@code j % watchedKeys}. {@code idleAfterCreate} holds the watchers idle before the first
 * put, so that an outside script can read the server's memory with every watcher in place.
 */
record WatchPlan(String workload, int watchers, int streams, int watchedKeys, long puts, int putClients,
                 double putRate, int streamsPerConn, Duration idleAfterCreate) {
  WatchPlan {
    if (idleAfterCreate.isNegative()) throw new IllegalArgumentException("--idle-after-create must be >= 0");
    if (streamsPerConn < 1) throw new IllegalArgumentException("--streams-per-conn must be >= 1");
    if (watchers < 1) throw new IllegalArgumentException("--watchers must be >= 1");
    if (streams < 1) throw new IllegalArgumentException("--streams must be >= 1");
    if (streams > watchers) throw new IllegalArgumentException("--streams must not exceed --watchers");
    if (watchedKeys < 1) throw new IllegalArgumentException("--watched-keys must be >= 1");
    if (puts < 1) throw new IllegalArgumentException("--puts must be >= 1");
    if (putClients < 1) throw new IllegalArgumentException("--put-clients must be >= 1");
    if (putRate < 0) throw new IllegalArgumentException("--put-rate must be >= 0");
  }

  /** HTTP/2 connections to open: --conns, or more when the streams would exceed --streams-per-conn on each. */
  int connections(int conns) {
    return Math.max(conns, (streams + streamsPerConn - 1) / streamsPerConn);
  }

  int keyOf(int watcher) {
    return watcher % watchedKeys;
  }

  /** The first watcher of {@code stream}; the stream holds watchers {@code [first(s), first(s + 1))}. */
  int firstWatcherOf(int stream) {
    return (int) (((long) stream * watchers + streams - 1) / streams);
  }

  /** How many watchers watch {@code key}. */
  long watchersOf(long key) {
    return watchers / watchedKeys + (key < watchers % watchedKeys ? 1 : 0);
  }

  /** Every event the watchers should receive: each put on key k is seen by every watcher of k. */
  long expectedEvents() {
    long rounds = puts / watchedKeys;
    long rest = puts % watchedKeys;
    // full rounds put every key once (all watchers see each); the rest puts keys 0 .. rest-1
    long restEvents = rest * (watchers / watchedKeys) + Math.min(rest, watchers % watchedKeys);
    return rounds * watchers + restEvents;
  }
}
