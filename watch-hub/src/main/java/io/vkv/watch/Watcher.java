package io.vkv.watch;

import com.google.protobuf.ByteString;
import io.vkv.api.mvccpb.Event;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One watch: the key range, options and progress of a single {@code watch_id} on a stream.
 *
 * <p>Kept small because idle watchers are many: no collections until events are actually being
 * gathered ({@link #pending}) or a refused batch is parked ({@link #parked}). All mutable fields
 * are guarded by the owning hub's lock.
 */
public final class Watcher {
  static final Comparator<ByteString> KEY_ORDER = ByteString.unsignedLexicographicalComparator();

  static final byte SYNCED = 0;
  static final byte UNSYNCED = 1;
  static final byte VICTIM = 2;
  static final byte CANCELED = 3;

  private static final byte NO_PUT = 1;
  private static final byte NO_DELETE = 2;
  private static final byte PREV_KV = 4;
  private static final byte PROGRESS_NOTIFY = 8;

  private final long id;
  private final long startRevision;
  private final ByteString key;
  /** null: the single key; empty: every key >= key (etcd's "\0"); else the exclusive end. */
  private final ByteString rangeEnd;
  private final WatchSink sink;
  private final byte options;

  /**
   * The first revision not yet handed to the sink. For a synced watcher it may lag the hub's
   * revision (it is only advanced when events match) or lead it (a future start revision).
   */
  long nextRevision;
  byte state;
  /** Events gathered for this watcher during one fan-out pass; null otherwise. */
  List<Event> pending;
  /** The refused batch while this watcher is a victim; null otherwise. */
  WatchBatch parked;

  Watcher(long id, ByteString key, ByteString rangeEnd, long startRevision, boolean noPut,
      boolean noDelete, boolean prevKv, boolean progressNotify, WatchSink sink) {
    this.id = id;
    this.key = key;
    this.rangeEnd = rangeEnd;
    this.startRevision = startRevision;
    this.sink = sink;
    this.options = (byte) ((noPut ? NO_PUT : 0) | (noDelete ? NO_DELETE : 0)
        | (prevKv ? PREV_KV : 0) | (progressNotify ? PROGRESS_NOTIFY : 0));
  }

  public long id() {
    return id;
  }

  public ByteString key() {
    return key;
  }

  /** null for a single-key watch, empty for "to the end of the key space". */
  public ByteString rangeEnd() {
    return rangeEnd;
  }

  /** As requested: 0 means "from the next revision". */
  public long startRevision() {
    return startRevision;
  }

  public WatchSink sink() {
    return sink;
  }

  public boolean noPut() {
    return (options & NO_PUT) != 0;
  }

  public boolean noDelete() {
    return (options & NO_DELETE) != 0;
  }

  public boolean prevKv() {
    return (options & PREV_KV) != 0;
  }

  public boolean progressNotify() {
    return (options & PROGRESS_NOTIFY) != 0;
  }

  /** etcd's range rule: [key, rangeEnd), the single key, or everything from key up. */
  public boolean matches(ByteString k) {
    if (rangeEnd == null) {
      return key.equals(k);
    }
    return KEY_ORDER.compare(key, k) <= 0 && (rangeEnd.isEmpty() || KEY_ORDER.compare(k, rangeEnd) < 0);
  }

  boolean wants(Event.EventType type) {
    return type == Event.EventType.PUT ? !noPut() : type != Event.EventType.DELETE || !noDelete();
  }

  void gather(Event e) {
    if (pending == null) {
      pending = new ArrayList<>(4);
    }
    pending.add(e);
  }

  List<Event> takePending() {
    List<Event> p = pending;
    pending = null;
    return p;
  }

  @Override
  public String toString() {
    return "Watcher{id=" + id + ", key=" + key.toStringUtf8() + ", next=" + nextRevision
        + ", state=" + state + '}';
  }
}
