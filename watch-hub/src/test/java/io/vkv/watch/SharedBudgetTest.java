package io.vkv.watch;

import static io.vkv.watch.FakeStore.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.etcdserverpb.WatchCreateRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The caps across streams: the stream buffers all sinks share, and the bytes parked across all streams. */
class SharedBudgetTest {
  private final FakeStore store = new FakeStore();

  /** A sink that keeps what it was sent unwritten until told. */
  private static final class HeldSink extends BudgetedSink {
    final List<WatchBatch> held = new ArrayList<>();

    HeldSink(long budget, SharedBudget shared) {
      super(budget, shared);
    }

    @Override
    protected void send(WatchBatch batch) {
      held.add(batch);
    }

    boolean writeOne() {
      return written(held.remove(0));
    }
  }

  private static Watcher watchK(WatchHub hub, WatchSink sink) {
    return hub.watch(sink, 7, WatchCreateRequest.newBuilder().setKey(b("k")).setRangeEnd(b("l")).build());
  }

  @Test
  void pastTheSharedBudgetEveryStreamIsRefusedAndAnOversizeBatchGoesWhenNothingElseIsInFlight() {
    WatchBatch one = WatchBatch.events(null, List.of(), 1); // header only: a few dozen bytes
    SharedBudget shared = new SharedBudget(2L * one.bytes());
    HeldSink a = new HeldSink(1 << 20, shared);
    HeldSink b = new HeldSink(1 << 20, shared);

    assertTrue(a.offer(one));
    assertTrue(b.offer(one)); // the shared budget is now used up
    assertFalse(a.offer(one)); // a has bytes in flight and the budget is spent
    HeldSink c = new HeldSink(1 << 20, shared);
    assertFalse(c.offer(one)); // c has nothing in flight and is refused all the same: 10,000 streams take no more
    assertEquals(2L * one.bytes(), shared.used());

    assertTrue(a.writeOne()); // room again for a, which was refused: the node retries its watchers
    assertEquals(one.bytes(), shared.used());
    assertTrue(c.offer(one));
    assertFalse(a.offer(one));
    b.writeOne();
    c.writeOne();
    assertEquals(0, shared.used());

    SharedBudget tiny = new SharedBudget(1);
    HeldSink d = new HeldSink(1 << 20, tiny);
    HeldSink e = new HeldSink(1 << 20, tiny);
    assertTrue(d.offer(one)); // larger than the whole budget, and nothing else in flight: taken
    assertFalse(e.offer(one));
    d.writeOne();
    assertTrue(e.offer(one));
  }

  @Test
  void theHubsStreamsShareItsBudget() {
    WatchHub hub = new WatchHub(store, new WatchHubConfig(100, 1 << 20, 1 << 20, Long.MAX_VALUE, 1));
    HeldSink a = new HeldSink(1 << 20, hub.streamBuffers());
    HeldSink b = new HeldSink(1 << 20, hub.streamBuffers());
    Watcher wa = watchK(hub, a);
    Watcher wb = watchK(hub, b);
    hub.onCommitted(store.put("k", "1")); // a takes its batch past the 1-byte budget (nothing else in flight), b not
    assertEquals(1, a.held.size());
    assertEquals(0, b.held.size());
    assertEquals(1, hub.victimCount());
    hub.onCommitted(store.put("k", "2")); // a has bytes in flight past the budget: parked too
    assertEquals(2, hub.victimCount());
    assertTrue(a.writeOne());
    hub.retryVictims(); // the budget is free: the first victim in parking order (b) takes it, a waits
    assertEquals(1, hub.victimCount());
    assertEquals(List.of(2L), b.held.get(0).events().stream().map(e -> e.getKv().getModRevision()).toList());
    b.writeOne();
    hub.retryVictims();
    assertEquals(0, hub.victimCount());
    assertEquals(List.of(3L), a.held.get(0).events().stream().map(e -> e.getKv().getModRevision()).toList());
    assertTrue(hub.isSynced(wa));
    assertFalse(hub.isSynced(wb)); // b missed revision 3 while parked: it reads it from history
    a.writeOne();
    while (hub.syncUnsynced()) { }
    assertEquals(List.of(3L), b.held.get(0).events().stream().map(e -> e.getKv().getModRevision()).toList());
    assertTrue(hub.isSynced(wb));
  }

  @Test
  void pastTheParkingCapAcrossStreamsRefusedWatchersCatchUpFromHistory() {
    TestSink slow1 = new TestSink();
    TestSink slow2 = new TestSink();
    slow1.full = true;
    slow2.full = true;
    // the size of the batch one put makes, measured on a hub of its own
    FakeStore sizing = new FakeStore();
    TestSink taker = new TestSink();
    WatchHub sizer = new WatchHub(sizing, WatchHubConfig.DEFAULT);
    watchK(sizer, taker);
    sizer.onCommitted(sizing.put("k", "1"));
    int batch = taker.taken.get(0).bytes();
    // per stream: room for a batch; across streams: room for one and a half
    WatchHub hub = new WatchHub(store, new WatchHubConfig(100, 1 << 20, 1 << 20, batch + batch / 2, Long.MAX_VALUE));
    Watcher w1 = watchK(hub, slow1);
    Watcher w2 = watchK(hub, slow2);
    hub.onCommitted(store.put("k", "1"));
    assertEquals(1, hub.victimCount()); // the first refused batch is parked
    assertEquals(1, hub.unsyncedCount()); // the second would pass the cap: that watcher reads history later
    slow1.full = false;
    slow2.full = false;
    hub.retryVictims();
    while (hub.syncUnsynced()) { }
    assertEquals(List.of(2L), slow1.revisions(w1));
    assertEquals(List.of(2L), slow2.revisions(w2));
    assertTrue(hub.isSynced(w1) && hub.isSynced(w2));
  }
}
