package io.vkv.client;

import static io.vkv.node.testing.Ports.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.EtcdError;
import io.vkv.api.mvccpb.Event;
import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every watch option against a real in-process member; each test uses its own key prefix. */
class WatchClientTest {
  /** Small enough that a few 60 KiB values make a response the server fragments (at 64 KiB + 512 KiB). */
  private static final int MAX_REQUEST_BYTES = 64 * 1024;
  private static NodeFixture server;
  private static VkvClient client;
  private static KvClient kv;
  private static WatchClient watches;

  @BeforeAll
  static void start() throws Exception {
    server = new NodeFixture(false, c -> c.toBuilder().maxRequestBytes(MAX_REQUEST_BYTES).watchProgressNotifyIntervalMs(200)
        .build());
    client = VkvClient.create(new VkvClientOptions().addEndpoint(server.endpoint()));
    kv = client.kv();
    watches = client.watch();
  }

  @AfterAll
  static void stop() {
    if (client != null) Await.result(client.close());
    if (server != null) server.close();
  }

  /** A watch whose created response has arrived, so that every later change is seen. */
  private static WatchRecorder watching(Watch w) {
    WatchRecorder r = WatchRecorder.of(w);
    Await.result(w.created());
    return r;
  }

  private static long put(String key, String value) {
    return Await.result(kv.put(key, value)).getHeader().getRevision();
  }

  @Test
  void prefixSeesPutsAndDeletesInRevisionOrderFromCreation() {
    put("w1/before", "x");
    Watch w = watches.watch("w1/", new WatchOptions().prefix());
    WatchRecorder r = watching(w);
    long a = put("w1/a", "1");
    put("other/a", "1");
    long b = put("w1/b", "2");
    long d = Await.result(kv.delete("w1/a")).getHeader().getRevision();
    r.awaitEvents(3);
    assertEquals(List.of("w1/a", "w1/b", "w1/a"), r.keys());
    assertEquals(List.of(a, b, d), r.revisions());
    assertEquals(List.of(Event.EventType.PUT, Event.EventType.PUT, Event.EventType.DELETE),
        r.events().stream().map(Event::getType).toList());
    assertTrue(Await.result(w.created()) < a);
    Await.result(w.cancel());
    Wait.until(Duration.ofSeconds(20), "end after cancel", r.ended::get);
    assertEquals(null, r.error.get());
  }

  @Test
  void singleKeyRangeEndAndFromKey() {
    WatchRecorder one = watching(watches.watch("w2/b"));
    WatchRecorder range = watching(watches.watch("w2/b", new WatchOptions().rangeEnd("w2/d")));
    WatchRecorder from = watching(watches.watch("w2/c", new WatchOptions().fromKey()));
    for (String k : List.of("w2/a", "w2/b", "w2/bb", "w2/c", "w2/d", "zz")) put(k, "v");
    range.awaitEvents(3);
    from.awaitEvents(3);
    one.awaitEvents(1);
    assertEquals(List.of("w2/b", "w2/bb", "w2/c"), range.keys());
    assertEquals(List.of("w2/c", "w2/d", "zz"), from.keys());
    assertEquals(List.of("w2/b"), one.keys());
  }

  @Test
  void startRevisionReplaysHistoryThenFollows() {
    long first = put("w3/a", "1");
    put("w3/b", "2");
    Watch w = watches.watch("w3/", new WatchOptions().prefix().startRevision(first));
    WatchRecorder r = WatchRecorder.of(w);
    r.awaitEvents(2);
    long third = put("w3/c", "3");
    r.awaitEvents(3);
    assertEquals(List.of("w3/a", "w3/b", "w3/c"), r.keys());
    assertEquals(third, r.revisions().get(2));
  }

  @Test
  void prevKvNoPutAndNoDelete() {
    put("w4/k", "old");
    WatchRecorder prev = watching(watches.watch("w4/k", new WatchOptions().prevKv()));
    WatchRecorder plain = watching(watches.watch("w4/k"));
    WatchRecorder deletesOnly = watching(watches.watch("w4/k", new WatchOptions().noPut()));
    WatchRecorder putsOnly = watching(watches.watch("w4/k", new WatchOptions().noDelete()));
    put("w4/k", "new");
    Await.result(kv.delete("w4/k"));
    prev.awaitEvents(2);
    plain.awaitEvents(2);
    deletesOnly.awaitEvents(1);
    putsOnly.awaitEvents(1);
    assertEquals("old", prev.events().get(0).getPrevKv().getValue().toStringUtf8());
    assertEquals("new", prev.events().get(1).getPrevKv().getValue().toStringUtf8());
    assertFalse(plain.events().get(0).hasPrevKv());
    assertEquals(Event.EventType.DELETE, deletesOnly.events().get(0).getType());
    assertEquals(Event.EventType.PUT, putsOnly.events().get(0).getType());
    assertEquals(plain.revisions().get(1), deletesOnly.revisions().get(0));
    assertEquals(plain.revisions().get(0), putsOnly.revisions().get(0));
  }

  @Test
  void progressNotificationsArriveWhenAsked() {
    Watch w = watches.watch("w5/", new WatchOptions().prefix().progressNotify());
    WatchRecorder r = watching(w);
    long rev = put("other/w5", "v");
    Wait.until(Duration.ofSeconds(20), () -> "progress at " + rev + ", got " + r.batches,
        () -> r.progressNotifications().stream().anyMatch(p -> p.revision() >= rev));
    // and on request, on a watch without progress_notify
    Watch quiet = watches.watch("w5/", new WatchOptions().prefix());
    WatchRecorder q = watching(quiet);
    long rev2 = put("other/w5", "v2");
    quiet.requestProgress();
    Wait.until(Duration.ofSeconds(20), () -> "requested progress at " + rev2 + ", got " + q.batches,
        () -> q.progressNotifications().stream().anyMatch(p -> p.revision() >= rev2));
    assertTrue(r.events().isEmpty() && q.events().isEmpty());
  }

  @Test
  void fragmentedResponsesAreReassembledIntoOneBatch() {
    String value = "x".repeat(60 * 1024);
    long first = put("w6/0", value);
    for (int i = 1; i < 12; i++) put("w6/" + i, value);
    WatchImpl split = (WatchImpl) watches.watch("w6/", new WatchOptions().prefix().startRevision(first).fragment());
    WatchImpl whole = (WatchImpl) watches.watch("w6/", new WatchOptions().prefix().startRevision(first));
    WatchRecorder s = WatchRecorder.of(split);
    WatchRecorder w = WatchRecorder.of(whole);
    s.awaitEvents(12);
    w.awaitEvents(12);
    assertTrue(split.fragmentsReceived() >= 1, "the server split the catch-up response");
    assertEquals(0, whole.fragmentsReceived());
    assertEquals(w.batches.size(), s.batches.size(), "each split response delivered as one batch");
    assertEquals(w.revisions(), s.revisions());
    assertEquals(0, split.bufferedBytes());
  }

  @Test
  void aCompactedStartRevisionEndsTheWatchWithItsOwnError() {
    long old = put("w7/k", "1");
    put("w7/k", "2");
    long compactTo = put("w7/k", "3");
    Await.result(kv.compact(compactTo, true));
    WatchRecorder r = WatchRecorder.of(watches.watch("w7/k", new WatchOptions().startRevision(old)));
    WatchCompactedException e = assertInstanceOf(WatchCompactedException.class, r.awaitError());
    assertEquals(compactTo, e.compactRevision());
    assertEquals(EtcdError.COMPACTED, e.etcdError().orElseThrow());
    assertFalse(r.ended.get());
    assertTrue(r.events().isEmpty());
  }

  @Test
  void anEmptyRangeIsRefusedByTheServer() {
    WatchRecorder r = WatchRecorder.of(watches.watch("w8/b", new WatchOptions().rangeEnd("w8/a")));
    VkvException e = assertInstanceOf(VkvException.class, r.awaitError());
    assertTrue(e.getMessage().contains("mvcc: watcher range is empty"), e.getMessage());
  }

  @Test
  void cancelStopsDeliveryAndClosingTheClientEndsOpenWatches() {
    VkvClient other = VkvClient.create(new VkvClientOptions().addEndpoint(server.endpoint()));
    Watch w = other.watch().watch("w9/", new WatchOptions().prefix());
    WatchRecorder r = watching(w);
    Watch kept = other.watch().watch("w9/", new WatchOptions().prefix());
    WatchRecorder k = watching(kept);
    put("w9/a", "1");
    r.awaitEvents(1);
    Await.result(w.cancel());
    Await.result(w.cancel()); // idempotent
    assertTrue(r.ended.get());
    put("w9/b", "2");
    k.awaitEvents(2);
    assertEquals(1, r.events().size());

    Await.result(other.close());
    VkvException closed = assertInstanceOf(VkvException.class, k.awaitError());
    assertEquals(GrpcStatus.CANCELLED, closed.status());
  }

  @Test
  void aDeadEndpointIsSkipped() throws Exception {
    String dead = "127.0.0.1:" + freePort();
    VkvClient other = VkvClient.create(new VkvClientOptions().setEndpoints(List.of(dead, server.endpoint()))
        .setRetryBackoff(java.time.Duration.ofMillis(5)).setMaxRetryBackoff(java.time.Duration.ofMillis(50)));
    try {
      for (int i = 0; i < 3; i++) {
        WatchRecorder r = watching(other.watch().watch("w10/" + i));
        put("w10/" + i, "v");
        r.awaitEvents(1);
      }
    } finally {
      Await.result(other.close());
    }
  }
}
