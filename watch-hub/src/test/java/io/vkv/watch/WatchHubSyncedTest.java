package io.vkv.watch;

import static io.vkv.watch.FakeStore.b;
import static io.vkv.watch.FakeStore.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vkv.api.etcdserverpb.WatchCreateRequest;
import io.vkv.api.mvccpb.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Delivery to synced watchers: key and range matching, filters, prev_kv, txn grouping. */
class WatchHubSyncedTest {
  private final FakeStore store = new FakeStore();
  private final WatchHub hub = new WatchHub(store, WatchHubConfig.DEFAULT);
  private final TestSink sink = new TestSink();

  private Watcher watch(ByteString key, ByteString end) {
    return hub.watch(sink, 1, WatchCreateRequest.newBuilder().setKey(key).setRangeEnd(end).build());
  }

  private void put(ByteString key) {
    hub.onCommitted(store.txn(List.of(new FakeStore.Op(key, b("v")))));
  }

  @Test
  void exactKeyGetsOnlyItsKey() {
    Watcher w = watch(b("a"), ByteString.EMPTY);
    put(b("a"));
    put(b("ab"));
    put(b(""));
    put(b("a"));
    assertEquals(List.of(2L, 5L), sink.revisions(w));
    assertEquals(2, sink.batches(w).size());
    assertTrue(hub.isSynced(w));
  }

  @Test
  void prefixRangeIsHalfOpen() {
    Watcher w = watch(b("a"), b("b"));
    for (ByteString k : List.of(b("a"), b("ab"), bytes('a', 0xff), b("b"), b("`"), b("b\0"))) {
      put(k);
    }
    assertEquals(List.of(2L, 3L, 4L), sink.revisions(w));
  }

  @Test
  void zeroRangeEndMeansToTheEnd() {
    Watcher fromB = watch(b("b"), bytes(0));
    Watcher all = watch(bytes(0), bytes(0));
    for (ByteString k : List.of(b("a"), b("b"), bytes(0xff, 0xff), bytes(0), b("zz"))) {
      put(k);
    }
    assertEquals(List.of(3L, 4L, 6L), sink.revisions(fromB));
    assertEquals(List.of(2L, 3L, 4L, 5L, 6L), sink.revisions(all));
  }

  @Test
  void highBytesSortUnsigned() {
    Watcher w = watch(bytes(0x80), bytes(0xff));
    for (ByteString k : List.of(bytes(0x7f), bytes(0x80), bytes(0xfe, 0xff), bytes(0xff),
        bytes(0x01))) {
      put(k);
    }
    assertEquals(List.of(3L, 4L), sink.revisions(w));
    Watcher exact = watch(bytes(0xff), ByteString.EMPTY);
    put(bytes(0xff));
    assertEquals(List.of(7L), sink.revisions(exact));
  }

  @Test
  void overlappingRangesEachGetEventOnce() {
    Watcher a = watch(b("a"), b("c"));
    Watcher b = watch(b("a"), b("c"));
    Watcher c = watch(b("b"), bytes(0));
    put(b("b"));
    assertEquals(List.of(2L), sink.revisions(a));
    assertEquals(List.of(2L), sink.revisions(b));
    assertEquals(List.of(2L), sink.revisions(c));
  }

  @Test
  void filtersDropPutsOrDeletes() {
    Watcher noPut = hub.watch(sink, 1, WatchCreateRequest.newBuilder().setKey(b("k"))
        .addFilters(WatchCreateRequest.FilterType.NOPUT).build());
    Watcher noDel = hub.watch(sink, 2, WatchCreateRequest.newBuilder().setKey(b("k"))
        .addFilters(WatchCreateRequest.FilterType.NODELETE).build());
    put(b("k"));
    hub.onCommitted(store.delete("k"));
    assertEquals(List.of(Event.EventType.DELETE),
        sink.events(noPut).stream().map(Event::getType).toList());
    assertEquals(List.of(Event.EventType.PUT),
        sink.events(noDel).stream().map(Event::getType).toList());
  }

  @Test
  void prevKvOnlyWhenAsked() {
    Watcher with = hub.watch(sink, 1,
        WatchCreateRequest.newBuilder().setKey(b("k")).setPrevKv(true).build());
    Watcher without = watch(b("k"), ByteString.EMPTY);
    put(b("k"));
    put(b("k"));
    hub.onCommitted(store.delete("k"));
    List<Event> got = sink.events(with);
    assertFalse(got.get(0).hasPrevKv()); // the key did not exist before
    assertEquals(2, got.get(1).getPrevKv().getModRevision());
    assertEquals(3, got.get(2).getPrevKv().getModRevision());
    assertEquals(4, got.get(2).getKv().getModRevision());
    assertTrue(sink.events(without).stream().noneMatch(Event::hasPrevKv));
    assertEquals(3, sink.events(without).size());
  }

  @Test
  void txnEventsArriveTogetherAndBatchesSpanRevisions() {
    Watcher w = watch(b("t"), b("u"));
    Committed txn = store.txn(List.of(new FakeStore.Op(b("t1"), b("x")),
        new FakeStore.Op(b("zz"), b("x")), new FakeStore.Op(b("t2"), b("y"))));
    Committed next = store.put("t3", "z");
    hub.onCommitted(List.of(txn, next));
    assertEquals(1, sink.batches(w).size());
    assertEquals(List.of(2L, 2L, 3L), sink.revisions(w));
    assertEquals(3, sink.batches(w).get(0).revision());
  }

  @Test
  void futureStartRevisionWaits() {
    Watcher w = hub.watch(sink, 1,
        WatchCreateRequest.newBuilder().setKey(b("k")).setStartRevision(4).build());
    assertTrue(hub.isSynced(w));
    for (int i = 0; i < 4; i++) {
      put(b("k"));
    }
    assertEquals(List.of(4L, 5L), sink.revisions(w));
  }

  @Test
  void replayedRevisionsAreIgnored() {
    Watcher w = watch(b("k"), ByteString.EMPTY);
    Committed c = store.put("k", "v");
    hub.onCommitted(c);
    hub.onCommitted(c);
    assertEquals(List.of(2L), sink.revisions(w));
  }

  @Test
  void cancelStopsDelivery() {
    Watcher w = watch(b("k"), ByteString.EMPTY);
    Watcher r = watch(b("k"), b("l"));
    assertTrue(hub.cancel(w));
    assertTrue(hub.cancel(r));
    assertFalse(hub.cancel(w));
    put(b("k"));
    assertTrue(sink.taken.isEmpty());
    assertEquals(0, hub.syncedCount());
    assertTrue(hub.isCanceled(w));
  }

  @Test
  void emptyRangeIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> watch(b("b"), b("a")));
    assertThrows(IllegalArgumentException.class, () -> watch(b("a"), b("a")));
  }

  @Test
  void progressRevisionFollowsCommits() {
    assertEquals(1, hub.progressRevision());
    put(b("x"));
    assertEquals(2, hub.progressRevision());
  }
}
