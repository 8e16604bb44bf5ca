package io.vkv.store;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.logging.Logger;
import org.lmdbjava.Cursor;
import org.lmdbjava.Txn;

/**
 * Every stored version of every key, by encoded key, in memory: what reads at an older revision, a watch event's
 * prev_kv and compaction look up. etcd keeps its key index in memory too. On disk a put then dirties one randomly
 * placed page (its key's in {@code current}) besides the tail of {@code history}, where an on-disk index dirtied a
 * second one; that page was a third of a loaded member's CPU per put (docs/PERFORMANCE.md, section 12). Rebuilt from
 * {@code history} whenever the store opens, restores or loads.
 *
 * <p>One writer (the store's applier, under the store's monitor) adds versions inside its LMDB transaction: they are
 * visible at once, so later entries of the same batch see them, and {@link #commit()} or {@link #rollback()} settles
 * them with the transaction. Readers on other threads see each key's versions through an immutable snapshot; the
 * versions a reader at revision R needs never change while R is above the compacted revision, and a reader checks
 * {@link #compactedThrough()} after it read.
 */
final class KeyIndex {
  /** A stored version of a key: its revision and whether it is a tombstone (a delete). */
  record Version(long main, long sub, boolean tombstone) {}

  /** Receives the revision of a version compaction drops. */
  interface Dropped {
    void version(long main, long sub);
  }

  /**
   * A snapshot of a key's versions, oldest first, as pairs (main, sub << 1 | tombstone) in
   * {@code data[0, 2 * count)}; the pairs below {@code count} never change.
   */
  record Versions(long[] data, int count) {
    long main(int i) {
      return data[2 * i];
    }

    long sub(int i) {
      return data[2 * i + 1] >>> 1;
    }

    boolean tombstone(int i) {
      return (data[2 * i + 1] & 1) != 0;
    }

    Version version(int i) {
      return new Version(main(i), sub(i), tombstone(i));
    }

    /** The position of the newest version at or below (main, sub), or -1. */
    int newestAtOrBelow(long main, long sub) {
      int lo = 0;
      int hi = count - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = main(mid) != main ? Long.compare(main(mid), main) : Long.compare(sub(mid), sub);
        if (c <= 0) lo = mid + 1;
        else hi = mid - 1;
      }
      return hi;
    }

    /** The newest version at or below the main revision, or null. */
    Version at(long revision) {
      int i = newestAtOrBelow(revision, Long.MAX_VALUE);
      return i < 0 ? null : version(i);
    }

    /** What compaction at the revision keeps: every later version and the newest at or below it if a put. */
    Versions compacted(long revision) {
      int newest = newestAtOrBelow(revision, Long.MAX_VALUE);
      if (newest < 0) return this;
      int from = tombstone(newest) ? newest + 1 : newest;
      if (from == 0) return this;
      if (from == count) return null;
      return new Versions(Arrays.copyOfRange(data, 2 * from, 2 * count), count - from);
    }
  }

  /**
   * A key and its versions. The writer appends in place: it writes the pair past {@code count}, publishes a grown
   * array (if it had to grow one) and only then the new count, so a reader that reads the count first and the array
   * second sees at least that many pairs; no object is allocated and no reference stored per append (a reference
   * into an old object per put kept the collector's remembered sets busy). Anything that shrinks or rewinds the
   * versions (compaction, rollback) replaces the entry instead.
   */
  static final class Entry {
    final byte[] key;
    private volatile long[] data;
    private volatile int count;

    private Entry(byte[] key, long[] data, int count) {
      this.key = key;
      this.data = data;
      this.count = count;
    }

    /** A consistent snapshot of the versions. */
    Versions versions() {
      int n = count; // before the array: see the class comment
      return new Versions(data, n);
    }

    private void append(long main, long sub, boolean tombstone) {
      int n = count;
      long[] d = data;
      if (2 * n + 2 > d.length) d = Arrays.copyOf(d, Math.max(4, 4 * n));
      d[2 * n] = main;
      d[2 * n + 1] = sub << 1 | (tombstone ? 1 : 0);
      if (d != data) data = d;
      count = n + 1;
    }

    private static Entry of(byte[] key, Versions v) {
      return new Entry(key, Arrays.copyOf(v.data(), 2 * v.count()), v.count());
    }
  }

  /** An encoded key as a hash key. */
  private record Key(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }

  /** The entry's versions before the transaction changed it; {@code before} null: the transaction created it. */
  private record Undo(Entry entry, Versions before) {}

  private static final Logger LOG = Logger.getLogger(KeyIndex.class.getName());

  /** Keys in order, for reads of a range. */
  private volatile ConcurrentSkipListMap<byte[], Entry> ordered = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);
  /**
   * The same entries by hash: a write finds its key's entry here without walking the skip list (whose ~17 levels
   * at 100,000 keys were ~15 % of a loaded member's CPU, each a cache miss).
   */
  private volatile ConcurrentHashMap<Key, Entry> byKey = new ConcurrentHashMap<>();
  /** The writer's changes since the last commit, newest last. */
  private final List<Undo> undo = new ArrayList<>();
  /** Compactions of the writer's transaction, each with the entries it changes (applied at commit). */
  private final List<Compaction> compactionsOnCommit = new ArrayList<>();

  private record Compaction(long revision, List<Entry> changed) {}
  private volatile long compactedThrough;

  /** Replaces the contents with the versions stored in {@code history}, and takes the compacted revision. */
  void rebuild(Tables t, Txn<ByteBuffer> txn) {
    install(read(t, txn));
  }

  /**
   * A new index of the versions stored in {@code history} as {@code txn} sees them, this one untouched: a restore
   * reads it from its own write transaction before it commits, so that readers wait only for {@link #install}.
   */
  static KeyIndex read(Tables t, Txn<ByteBuffer> txn) {
    long started = System.nanoTime();
    long versions = 0;
    KeyIndex fresh = new KeyIndex();
    try (Cursor<ByteBuffer> c = t.history.openCursor(txn)) {
      for (boolean more = c.first(); more; more = c.next()) {
        ByteBuffer k = c.key();
        HistoryReader.KeyAndType e = HistoryReader.keyAndType(c.val());
        fresh.append(KeyCodec.encode(e.key()), k.getLong(k.position()), k.getLong(k.position() + 8), e.delete(), false);
        versions++;
      }
    }
    fresh.compactedThrough = Meta.read(t, txn).compacted();
    String done = "key index: " + fresh.byKey.size() + " keys, " + versions + " versions, read from history in "
        + (System.nanoTime() - started) / 1_000_000 + " ms";
    LOG.info(done);
    return fresh;
  }

  /** Takes the contents of an index {@link #read} (the writer's uncommitted changes, if any, are dropped). */
  void install(KeyIndex fresh) {
    undo.clear();
    compactionsOnCommit.clear();
    ordered = fresh.ordered;
    byKey = fresh.byKey;
    compactedThrough = fresh.compactedThrough;
  }

  /** The writer adds a version; revisions of one key ascend. */
  void add(byte[] encoded, long main, long sub, boolean tombstone) {
    append(encoded, main, sub, tombstone, true);
  }

  /** {@code journal}: record what to undo (the writer's adds; not a rebuild's). */
  private void append(byte[] encoded, long main, long sub, boolean tombstone, boolean journal) {
    Entry e = byKey.get(new Key(encoded));
    if (e == null) {
      e = new Entry(encoded, new long[2], 0);
      e.append(main, sub, tombstone);
      byKey.put(new Key(encoded), e);
      ordered.put(encoded, e);
      if (journal) undo.add(new Undo(e, null));
      return;
    }
    if (journal) undo.add(new Undo(e, e.versions()));
    e.append(main, sub, tombstone);
  }

  /** The key's versions, or null if it has none stored. */
  Versions versions(byte[] encoded) {
    Entry e = byKey.get(new Key(encoded));
    return e == null ? null : e.versions();
  }

  /** The key's newest version at or below the revision, or null if it has none that old. */
  Version at(byte[] encoded, long revision) {
    Versions v = versions(encoded);
    return v == null ? null : v.at(revision);
  }

  /**
   * The keys at and after {@code encoded}, in order: one search, then a step per key (a range that searched for
   * each next key again was 4× slower over 10,000 keys). Weakly consistent, as the skip list's iterators are.
   */
  Iterator<Entry> from(byte[] encoded) {
    return ordered.tailMap(encoded, true).values().iterator();
  }

  /**
   * Compaction at the revision, inside the writer's transaction: reports every version it drops (so the caller
   * deletes them from {@code history}); the index drops them at {@link #commit()}.
   */
  void compact(long revision, Dropped dropped) {
    List<Entry> changed = new ArrayList<>();
    for (Entry e : ordered.values()) {
      Versions v = e.versions();
      Versions kept = v.compacted(revision);
      if (kept == v) continue;
      changed.add(e);
      for (int i = 0, n = v.count() - (kept == null ? 0 : kept.count()); i < n; i++) dropped.version(v.main(i), v.sub(i));
    }
    compactionsOnCommit.add(new Compaction(revision, changed));
  }

  /** The revision of the last compaction applied to the index: reads below it may have missed versions. */
  long compactedThrough() {
    return compactedThrough;
  }

  /** The writer's transaction committed: its versions stay, and its compactions drop what they reported. */
  void commit() {
    undo.clear();
    for (Compaction c : compactionsOnCommit) {
      compactedThrough = Math.max(compactedThrough, c.revision); // first, so that readers below it fail from now on
      for (Entry found : c.changed) {
        // the key's entry now (an earlier compaction of the same transaction may have replaced it), and its
        // versions now (later writes of the transaction may have added some)
        Entry e = byKey.get(new Key(found.key));
        if (e == null) continue;
        Versions v = e.versions();
        Versions kept = v.compacted(c.revision);
        if (kept == null) remove(e);
        else if (kept != v) replace(e, new Entry(e.key, kept.data(), kept.count())); // kept's array is its own
      }
    }
    compactionsOnCommit.clear();
  }

  /** The writer's transaction aborted: forget every version it added since the last commit. */
  void rollback() {
    // each entry back to how the transaction found it: its first undo record; a new entry, rewound, replaces it
    Map<Entry, Versions> first = new IdentityHashMap<>();
    for (Undo u : undo) first.putIfAbsent(u.entry, u.before == null ? NONE : u.before);
    first.forEach((e, before) -> {
      if (before == NONE) remove(e);
      else replace(e, Entry.of(e.key, before));
    });
    undo.clear();
    compactionsOnCommit.clear();
  }

  private static final Versions NONE = new Versions(new long[0], 0);

  private void remove(Entry e) {
    ordered.remove(e.key, e);
    byKey.remove(new Key(e.key), e);
  }

  private void replace(Entry e, Entry with) {
    ordered.replace(e.key, e, with);
    byKey.replace(new Key(e.key), e, with);
  }

  /** Number of keys with stored versions (tests). */
  int size() {
    return byKey.size();
  }
}
