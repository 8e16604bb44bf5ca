package io.vkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Flow adapter against a real member: demand, cancel and the terminal signals of the Reactive Streams rules. */
class WatchPublisherTest {
  private static NodeFixture server;
  private static VkvClient client;

  @BeforeAll
  static void start() throws Exception {
    server = new NodeFixture();
    client = VkvClient.create(new VkvClientOptions().addEndpoint(server.endpoint()));
  }

  @AfterAll
  static void stop() {
    if (client != null) Await.result(client.close());
    if (server != null) server.close();
  }

  /** Records signals and flags any that overlap (rule 1.3) or follow a terminal one (rule 1.7). */
  private static final class Probe implements Flow.Subscriber<WatchEvents> {
    final List<WatchEvents> items = new CopyOnWriteArrayList<>();
    final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    final AtomicInteger terminals = new AtomicInteger();
    final AtomicBoolean inSignal = new AtomicBoolean();
    final AtomicBoolean violation = new AtomicBoolean();
    final long initialRequest;

    Probe(long initialRequest) {
      this.initialRequest = initialRequest;
    }

    private void enter() {
      if (!inSignal.compareAndSet(false, true) || terminals.get() > 0) violation.set(true);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      enter();
      if (!subscription.compareAndSet(null, s)) violation.set(true);
      if (initialRequest != 0) s.request(initialRequest);
      inSignal.set(false);
    }

    @Override
    public void onNext(WatchEvents item) {
      enter();
      items.add(item);
      inSignal.set(false);
    }

    @Override
    public void onError(Throwable t) {
      enter();
      error.set(t);
      terminals.incrementAndGet();
      inSignal.set(false);
    }

    @Override
    public void onComplete() {
      enter();
      terminals.incrementAndGet();
      inSignal.set(false);
    }
  }

  private static long put(String key) {
    return Await.result(client.kv().put(key, "v")).getHeader().getRevision();
  }

  @Test
  void onNextNeverExceedsDemandAndCancelStopsEverything() {
    WatchImpl watch = (WatchImpl) client.watch().watch("f1/", new WatchOptions().prefix());
    Probe probe = new Probe(1);
    watch.toPublisher().subscribe(probe);
    Await.result(watch.created());
    // one response per put: each acknowledged before the next is sent
    long first = put("f1/0");
    for (int i = 1; i < 6; i++) put("f1/" + i);
    Wait.until(Duration.ofSeconds(20), "first item", () -> probe.items.size() == 1);
    // one response is read ahead and waits for demand; nothing more is read or delivered
    Wait.until(Duration.ofSeconds(20), "next item ready", () -> watch.bufferedBytes() > 0);
    long received = watch.receivedBytes();
    WatchRecorder all = WatchRecorder.of(client.watch().watch("f1/", new WatchOptions().prefix().startRevision(first)));
    all.awaitEvents(6); // by now the paused subscriber's stream could have delivered everything
    assertEquals(1, probe.items.size());
    assertEquals(received, watch.receivedBytes());

    probe.subscription.get().request(2);
    Wait.until(Duration.ofSeconds(20), () -> "three items, got " + probe.items, () -> probe.items.size() == 3);
    Wait.until(Duration.ofSeconds(20), "next item ready", () -> watch.bufferedBytes() > 0);
    assertTrue(watch.receivedBytes() > received);
    received = watch.receivedBytes();
    put("f1/6");
    all.awaitEvents(7);
    assertEquals(3, probe.items.size());
    assertEquals(received, watch.receivedBytes());

    probe.subscription.get().cancel();
    probe.subscription.get().cancel(); // rule 3.7
    probe.subscription.get().request(5); // rule 3.6: a no-op after cancel
    Wait.until(Duration.ofSeconds(20), "dropped after cancel", () -> watch.bufferedBytes() == 0);
    put("f1/after");
    Watch witness = client.watch().watch("f1/after2");
    WatchRecorder w = WatchRecorder.of(witness);
    Await.result(witness.created());
    put("f1/after2");
    w.awaitEvents(1); // by now the cancelled watch would have had its chance to deliver
    assertEquals(3, probe.items.size());
    assertEquals(0, probe.terminals.get(), "no terminal signal after cancel (rule 3.5/3.7)");
    assertFalse(probe.violation.get());
  }

  @Test
  void unboundedDemandDeliversEverythingInOrder() {
    Watch watch = client.watch().watch("f2/", new WatchOptions().prefix());
    Probe probe = new Probe(Long.MAX_VALUE);
    watch.toPublisher().subscribe(probe);
    Await.result(watch.created());
    long first = put("f2/a");
    probe.subscription.get().request(Long.MAX_VALUE); // rule 3.17: saturates, no overflow
    long second = put("f2/b");
    Wait.until(Duration.ofSeconds(20), "two events",
        () -> probe.items.stream().mapToInt(i -> i.events().size()).sum() == 2);
    assertEquals(List.of(first, second), probe.items.stream().map(WatchEvents::lastRevision).toList());
    Await.result(watch.cancel()); // the watch cancelled from outside: the subscriber completes
    Wait.until(Duration.ofSeconds(20), "onComplete", () -> probe.terminals.get() == 1);
    assertNull(probe.error.get());
    assertFalse(probe.violation.get());
  }

  @Test
  void aNonPositiveRequestIsAnErrorAndCancelsTheWatch() {
    WatchImpl watch = (WatchImpl) client.watch().watch("f3/");
    Probe probe = new Probe(0);
    watch.toPublisher().subscribe(probe);
    Wait.until(Duration.ofSeconds(20), "onSubscribe", () -> probe.subscription.get() != null);
    probe.subscription.get().request(0);
    Wait.until(Duration.ofSeconds(20), "onError", () -> probe.terminals.get() == 1);
    assertInstanceOf(IllegalArgumentException.class, probe.error.get());
    assertFalse(probe.violation.get());
  }

  @Test
  void aSecondSubscriberIsRefused() {
    Watch watch = client.watch().watch("f4/");
    Probe first = new Probe(1);
    Probe second = new Probe(1);
    watch.toPublisher().subscribe(first);
    watch.toPublisher().subscribe(second);
    Wait.until(Duration.ofSeconds(20), "refused", () -> second.terminals.get() == 1);
    assertInstanceOf(IllegalStateException.class, second.error.get());
    assertTrue(second.subscription.get() != null, "onSubscribe before onError (rule 1.9)");
    Await.result(watch.cancel());
    Wait.until(Duration.ofSeconds(20), "first completes", () -> first.terminals.get() == 1);
    assertNull(first.error.get());
  }

  @Test
  void compactionIsTheSubscribersOnErrorWithoutDemand() {
    long old = put("f5/k");
    long compactTo = put("f5/k");
    Await.result(client.kv().compact(compactTo, true));
    Probe probe = new Probe(0);
    client.watch().watch("f5/k", new WatchOptions().startRevision(old)).toPublisher().subscribe(probe);
    Wait.until(Duration.ofSeconds(20), "onError", () -> probe.terminals.get() == 1);
    assertEquals(compactTo, assertInstanceOf(WatchCompactedException.class, probe.error.get()).compactRevision());
    assertTrue(probe.items.isEmpty());
    assertFalse(probe.violation.get());
  }
}
