package io.vkv.watch;

import com.google.protobuf.ByteString;
import io.vkv.api.mvccpb.Event;
import io.vkv.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/** An in-memory MVCC history for tests: revisions of put/delete events, compaction, hooks. */
final class FakeStore implements WatchHistory {
  /** One write of a txn: a put when value is non-null, else a delete. */
  record Op(ByteString key, ByteString value) {}

  private final TreeMap<Long, Committed> revisions = new TreeMap<>();
  private final TreeMap<ByteString, KeyValue> live = new TreeMap<>(Watcher.KEY_ORDER);
  private long current = 1; // etcd's empty store is at revision 1
  private long compacted;
  /** Runs once inside the next history read, as if the applier committed concurrently. */
  Runnable duringNextRead;
  int reads;

  static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static ByteString bytes(int... bs) {
    byte[] a = new byte[bs.length];
    for (int i = 0; i < bs.length; i++) {
      a[i] = (byte) bs[i];
    }
    return ByteString.copyFrom(a);
  }

  Committed put(String key, String value) {
    return txn(List.of(new Op(b(key), b(value))));
  }

  Committed delete(String key) {
    return txn(List.of(new Op(b(key), null)));
  }

  /** Applies ops (distinct keys) as one revision; null if nothing changed (no revision). */
  Committed txn(List<Op> ops) {
    long rev = current + 1;
    List<Event> events = new ArrayList<>();
    Set<ByteString> seen = new HashSet<>();
    for (Op op : ops) {
      if (!seen.add(op.key())) {
        throw new IllegalArgumentException("duplicate key in txn");
      }
      KeyValue prev = live.get(op.key());
      if (op.value() != null) {
        KeyValue kv = KeyValue.newBuilder().setKey(op.key()).setValue(op.value())
            .setCreateRevision(prev == null ? rev : prev.getCreateRevision()).setModRevision(rev)
            .setVersion(prev == null ? 1 : prev.getVersion() + 1).build();
        live.put(op.key(), kv);
        Event.Builder e = Event.newBuilder().setType(Event.EventType.PUT).setKv(kv);
        if (prev != null) {
          e.setPrevKv(prev);
        }
        events.add(e.build());
      } else if (prev != null) {
        live.remove(op.key());
        events.add(Event.newBuilder().setType(Event.EventType.DELETE)
            .setKv(KeyValue.newBuilder().setKey(op.key()).setModRevision(rev)).setPrevKv(prev)
            .build());
      }
    }
    if (events.isEmpty()) {
      return null;
    }
    current = rev;
    Committed c = new Committed(rev, events);
    revisions.put(rev, c);
    return c;
  }

  void compact(long revision) {
    compacted = Math.max(compacted, Math.min(revision, current));
  }

  /** Every revision ever written, compacted ones included (the test oracle). */
  List<Committed> all() {
    return new ArrayList<>(revisions.values());
  }

  @Override
  public List<Event> history(long from, long to, int maxEvents) {
    reads++;
    if (duringNextRead != null) {
      Runnable r = duringNextRead;
      duringNextRead = null;
      r.run();
    }
    if (from <= compacted) {
      throw new HistoryCompactedException(compacted);
    }
    List<Event> out = new ArrayList<>();
    for (Committed c : revisions.subMap(from, true, to, true).values()) {
      if (out.size() >= maxEvents) {
        break; // only at a revision boundary
      }
      out.addAll(c.events());
    }
    return out;
  }

  @Override
  public long compactedRevision() {
    return compacted;
  }

  @Override
  public long currentRevision() {
    return current;
  }
}
