package io.vkv.watch;

import static io.vkv.watch.FakeStore.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.etcdserverpb.ResponseHeader;
import io.vkv.api.etcdserverpb.WatchCreateRequest;
import io.vkv.api.etcdserverpb.WatchResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Unsynced catch-up, victims and compaction, each transition driven by hand. */
class WatchHubTransitionsTest {
  private final FakeStore store = new FakeStore();
  private final TestSink sink = new TestSink();

  private WatchHub hub(int chunk, long victimBytes) {
    return new WatchHub(store, new WatchHubConfig(chunk, victimBytes, 1 << 20));
  }

  private static Watcher watchK(WatchHub hub, WatchSink sink, long start) {
    return hub.watch(sink, 7, WatchCreateRequest.newBuilder().setKey(b("k")).setRangeEnd(b("l"))
        .setStartRevision(start).build());
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void catchUpInChunksWithCommitsInBetween() {
    for (int i = 0; i < 10; i++) {
      store.put("k" + i, "v"); // revisions 2..11
    }
    WatchHub hub = hub(3, 1 << 20);
    Watcher w = watchK(hub, sink, 3);
    assertFalse(hub.isSynced(w));
    assertTrue(hub.syncUnsynced()); // 3..5
    assertEquals(range(3, 5), sink.revisions(w));
    hub.onCommitted(store.put("k", "x")); // 12: not for an unsynced watcher yet
    assertEquals(range(3, 5), sink.revisions(w));
    assertTrue(hub.syncUnsynced()); // 6..8
    store.duringNextRead = () -> hub.onCommitted(store.put("k", "y")); // 13, mid-read
    assertTrue(hub.syncUnsynced()); // 9..11
    hub.onCommitted(store.put("k", "z")); // 14
    int batchesBefore = sink.batches(w).size();
    assertFalse(hub.syncUnsynced()); // 12..14, then synced
    assertTrue(hub.isSynced(w));
    assertEquals(batchesBefore + 1, sink.batches(w).size());
    hub.onCommitted(store.put("k", "w")); // 15, directly
    assertEquals(range(3, 15), sink.revisions(w));
    assertEquals(0, hub.unsyncedCount());
  }

  @Test
  void commitDuringLastReadKeepsWatcherUnsyncedOneMoreRound() {
    store.put("k", "1");
    WatchHub hub = hub(100, 1 << 20);
    Watcher w = watchK(hub, sink, 2);
    store.duringNextRead = () -> hub.onCommitted(store.put("k", "2"));
    // the read covered only revision 2; the hub has seen 3, so the watcher may not join yet
    assertTrue(hub.syncUnsynced());
    assertEquals(List.of(2L), sink.revisions(w));
    assertFalse(hub.isSynced(w));
    assertFalse(hub.syncUnsynced());
    assertEquals(List.of(2L, 3L), sink.revisions(w));
    assertTrue(hub.isSynced(w));
  }

  @Test
  void storeAheadOfHubIsNotDeliveredTwice() {
    store.put("k", "1");
    WatchHub hub = hub(100, 1 << 20);
    Watcher w = watchK(hub, sink, 2);
    Committed late = store.put("k", "2"); // in the store, not yet handed to the hub
    assertFalse(hub.syncUnsynced());
    assertTrue(hub.isSynced(w));
    hub.onCommitted(late);
    hub.onCommitted(store.put("k", "3"));
    assertEquals(List.of(2L, 3L, 4L), sink.revisions(w));
  }

  @Test
  void watcherWithoutMatchingHistoryJoinsSynced() {
    store.put("other", "1");
    WatchHub hub = hub(1, 1 << 20);
    Watcher w = watchK(hub, sink, 1);
    assertFalse(hub.syncUnsynced());
    assertTrue(hub.isSynced(w));
    assertTrue(sink.taken.isEmpty());
  }

  @Test
  void victimParksAndRecoversWhenNothingWasMissed() {
    WatchHub hub = hub(100, 1 << 20);
    Watcher w = watchK(hub, sink, 0);
    TestSink other = new TestSink();
    Watcher fast = watchK(hub, other, 0);
    sink.full = true;
    hub.onCommitted(store.put("k", "1"));
    assertEquals(1, hub.victimCount());
    assertEquals(List.of(2L), other.revisions(fast)); // not held up by the slow one
    hub.retryVictims(); // still full
    assertEquals(1, hub.victimCount());
    sink.full = false;
    hub.onWritable(sink);
    assertEquals(0, hub.victimCount());
    assertTrue(hub.isSynced(w));
    hub.onCommitted(store.put("k", "2"));
    assertEquals(List.of(2L, 3L), sink.revisions(w));
  }

  @Test
  void victimThatFellBehindCatchesUpFromHistory() {
    WatchHub hub = hub(2, 1 << 20);
    Watcher w = watchK(hub, sink, 0);
    sink.full = true;
    hub.onCommitted(store.put("k", "1")); // parked
    for (int i = 0; i < 5; i++) {
      hub.onCommitted(store.put("k", "x" + i)); // missed while a victim
    }
    sink.full = false;
    hub.retryVictims();
    assertEquals(List.of(2L), sink.revisions(w));
    assertFalse(hub.isSynced(w));
    assertEquals(1, hub.unsyncedCount());
    int rounds = 0;
    while (hub.syncUnsynced()) {
      rounds++;
    }
    assertEquals(2, rounds); // 3..4, 5..6, then 7 and synced
    assertTrue(hub.isSynced(w));
    assertEquals(range(2, 7), sink.revisions(w));
  }

  @Test
  void refusalPastTheParkingCapGoesStraightToHistory() {
    WatchHub hub = hub(100, 0);
    Watcher w = watchK(hub, sink, 0);
    sink.full = true;
    hub.onCommitted(List.of(store.put("a", "1"), store.put("k", "1"), store.put("k", "2")));
    assertEquals(0, hub.victimCount());
    assertEquals(1, hub.unsyncedCount());
    hub.syncUnsynced(); // refused again: nothing changes
    assertEquals(1, hub.unsyncedCount());
    sink.full = false;
    assertFalse(hub.syncUnsynced());
    assertEquals(List.of(3L, 4L), sink.revisions(w));
    assertEquals(1, sink.batches(w).size());
  }

  @Test
  void compactedStartIsCancelledWithCompactRevision() {
    for (int i = 0; i < 5; i++) {
      store.put("k", "v" + i); // 2..6
    }
    store.compact(4);
    WatchHub hub = hub(100, 1 << 20);
    Watcher old = watchK(hub, sink, 3);
    Watcher ok = watchK(hub, sink, 5);
    sink.full = true;
    hub.syncUnsynced(); // notice refused: the watcher stays until told
    assertFalse(hub.isCanceled(old));
    sink.full = false;
    assertFalse(hub.syncUnsynced());
    assertTrue(hub.isCanceled(old));
    WatchBatch notice = sink.batches(old).get(0);
    assertEquals(4, notice.compactRevision());
    WatchResponse r = notice.toResponse(ResponseHeader.newBuilder().setClusterId(9).build());
    assertTrue(r.getCanceled());
    assertEquals(4, r.getCompactRevision());
    assertEquals(7, r.getWatchId());
    assertEquals(9, r.getHeader().getClusterId());
    assertEquals(List.of(5L, 6L), sink.revisions(ok));
    assertTrue(hub.isSynced(ok));
  }

  @Test
  void compactionDuringTheReadCancels() {
    store.put("k", "1");
    store.put("k", "2");
    WatchHub hub = hub(100, 1 << 20);
    Watcher w = watchK(hub, sink, 2);
    store.duringNextRead = () -> store.compact(3);
    assertFalse(hub.syncUnsynced());
    assertTrue(hub.isCanceled(w));
    assertEquals(3, sink.batches(w).get(0).compactRevision());
  }

  @Test
  void cancelInEveryState() {
    store.put("k", "1");
    WatchHub hub = hub(100, 1 << 20);
    Watcher unsynced = watchK(hub, sink, 2);
    assertTrue(hub.cancel(unsynced));
    Watcher victim = watchK(hub, sink, 0);
    sink.full = true;
    hub.onCommitted(store.put("k", "2"));
    assertEquals(1, hub.victimCount());
    assertTrue(hub.cancel(victim));
    assertEquals(0, hub.victimCount());
    sink.full = false;
    hub.retryVictims();
    assertFalse(hub.syncUnsynced());
    assertTrue(sink.taken.isEmpty());
  }

  @Test
  void budgetedSinkBoundsBytesNotEvents() {
    List<WatchBatch> sent = new ArrayList<>();
    BudgetedSink s = new BudgetedSink(300) {
      @Override
      protected void send(WatchBatch batch) {
        sent.add(batch);
      }
    };
    WatchHub hub = hub(100, 1 << 20);
    Watcher w = watchK(hub, s, 0);
    hub.onCommitted(store.put("k", "x".repeat(400))); // bigger than the budget: empty stream takes it
    assertEquals(1, sent.size());
    hub.onCommitted(store.put("k", "small"));
    assertEquals(1, sent.size());
    assertEquals(1, hub.victimCount());
    assertTrue(s.written(sent.get(0)));
    hub.onWritable(s);
    assertEquals(2, sent.size());
    assertTrue(hub.isSynced(w));
    assertFalse(s.written(sent.get(1)));
    assertEquals(0, s.bytesInFlight());
  }
}
