package io.vkv.node.watch;

import static io.vkv.node.watch.WatchTarget.bs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.etcdserverpb.WatchCreateRequest;
import io.vkv.api.etcdserverpb.WatchCreateRequest.FilterType;
import io.vkv.api.etcdserverpb.WatchResponse;
import io.vkv.api.mvccpb.Event;
import io.vkv.api.mvccpb.Event.EventType;
import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** etcd's Watch RPC over gRPC, option by option (each test uses its own keys on one shared node). */
@Timeout(60)
class WatchServiceTest extends SharedWatchTarget {
  private static final Duration QUIET = Duration.ofMillis(300);

  private static WatchCreateRequest.Builder key(String k) {
    return WatchCreateRequest.newBuilder().setKey(bs(k));
  }

  private static WatchCreateRequest.Builder range(String k, String end) {
    return key(k).setRangeEnd(bs(end));
  }

  /** Opens a stream with one watch and returns it after the created response. */
  private static WatchTestClient watch(WatchCreateRequest.Builder c) {
    WatchTestClient s = target.open(WatchTestClient.createRequest(c));
    WatchResponse created = s.next();
    assertTrue(created.getCreated() && !created.getCanceled(), created.toString());
    return s;
  }

  private static List<String> keys(List<Event> events) {
    List<String> out = new ArrayList<>();
    for (Event e : events) out.add(e.getType() + " " + e.getKv().getKey().toStringUtf8());
    return out;
  }

  @Test
  void createdThenPutAndDeleteEventsWithHeaders() {
    long before = target.currentRevision();
    WatchTestClient s = target.open(WatchTestClient.createRequest(key("single")));
    WatchResponse created = s.next();
    assertTrue(created.getCreated());
    assertEquals(0, created.getWatchId(), "the first server-assigned id on a stream is 0");
    assertEquals(before, created.getHeader().getRevision());
    assertNotEquals(0, created.getHeader().getClusterId());
    assertNotEquals(0, created.getHeader().getMemberId());
    assertNotEquals(0, created.getHeader().getRaftTerm());

    long put = target.put("single", "v1");
    target.put("single-other", "x");
    long del = target.delete("single");
    WatchResponse r1 = s.next();
    assertEquals(1, r1.getEventsCount());
    Event e = r1.getEvents(0);
    assertEquals(EventType.PUT, e.getType());
    assertEquals("v1", e.getKv().getValue().toStringUtf8());
    assertEquals(put, e.getKv().getModRevision());
    assertEquals(put, r1.getHeader().getRevision());
    assertEquals(created.getHeader().getMemberId(), r1.getHeader().getMemberId());
    WatchResponse r2 = s.next();
    assertEquals(EventType.DELETE, r2.getEvents(0).getType());
    assertEquals(del, r2.getEvents(0).getKv().getModRevision());
    assertFalse(r2.getEvents(0).hasPrevKv());
    s.close();
  }

  @Test
  void prefixRangeAndFromKey() {
    WatchTestClient prefix = watch(range("pre/", "pre0")); // as etcdctl --prefix sends it
    WatchTestClient fromKey = watch(range("pre/m", "\0"));
    target.put("pre/a", "1");
    target.put("prf", "2");
    target.put("pre/z", "3");
    target.put("pra", "4");
    assertEquals(List.of("PUT pre/a", "PUT pre/z"), keys(prefix.events(0, 2, Duration.ofSeconds(10))));
    assertEquals(List.of("PUT prf", "PUT pre/z"), keys(fromKey.events(0, 2, Duration.ofSeconds(10))));
    assertNull(prefix.poll(QUIET));
  }

  @Test
  void startRevisionIsInclusiveAndReplaysHistory() {
    long r1 = target.put("hist", "1");
    target.put("hist", "2");
    target.put("hist", "3");
    WatchTestClient s = watch(key("hist").setStartRevision(r1 + 1));
    List<Event> events = s.events(0, 2, Duration.ofSeconds(10));
    assertEquals(r1 + 1, events.get(0).getKv().getModRevision());
    assertEquals("2", events.get(0).getKv().getValue().toStringUtf8());
    assertEquals("3", events.get(1).getKv().getValue().toStringUtf8());
    target.put("hist", "4"); // and then goes on live
    assertEquals("4", s.events(0, 1, Duration.ofSeconds(10)).get(0).getKv().getValue().toStringUtf8());
  }

  @Test
  void prevKvOnlyWhenAsked() {
    target.put("pkv", "old");
    WatchTestClient with = watch(key("pkv").setPrevKv(true));
    WatchTestClient without = watch(key("pkv"));
    target.put("pkv", "new");
    Event e = with.events(0, 1, Duration.ofSeconds(10)).get(0);
    assertEquals("old", e.getPrevKv().getValue().toStringUtf8());
    assertFalse(without.events(0, 1, Duration.ofSeconds(10)).get(0).hasPrevKv());
    target.delete("pkv");
    assertEquals("new", with.events(0, 1, Duration.ofSeconds(10)).get(0).getPrevKv().getValue().toStringUtf8());
  }

  @Test
  void noPutAndNoDeleteFilters() {
    WatchTestClient noPut = watch(key("filt").addFilters(FilterType.NOPUT));
    WatchTestClient noDelete = watch(key("filt").addFilters(FilterType.NODELETE));
    target.put("filt", "1");
    target.delete("filt");
    target.put("filt", "2");
    assertEquals(List.of("DELETE filt"), keys(noPut.events(0, 1, Duration.ofSeconds(10))));
    assertEquals(List.of("PUT filt", "PUT filt"), keys(noDelete.events(0, 2, Duration.ofSeconds(10))));
    assertNull(noPut.poll(QUIET));
  }

  @Test
  void clientChosenIdsAndDuplicates() {
    WatchTestClient s = target.open(WatchTestClient.createRequest(key("ids").setWatchId(7)));
    assertEquals(7, s.next().getWatchId());
    s.create(key("ids"));
    assertEquals(0, s.next().getWatchId(), "server-assigned ids start at 0");
    s.create(key("ids").setWatchId(7));
    WatchResponse dup = s.next();
    assertTrue(dup.getCreated() && dup.getCanceled(), dup.toString());
    assertEquals(-1, dup.getWatchId());
    assertEquals("mvcc: duplicate watch ID provided on the WatchStream", dup.getCancelReason());
    target.put("ids", "x");
    List<Long> ids = new ArrayList<>();
    ids.add(s.next().getWatchId());
    ids.add(s.next().getWatchId());
    ids.sort(null);
    assertEquals(List.of(0L, 7L), ids);
  }

  @Test
  void emptyRangeIsRefused() {
    WatchTestClient s = target.open(WatchTestClient.createRequest(range("b", "a")));
    WatchResponse r = s.next();
    assertTrue(r.getCreated() && r.getCanceled(), r.toString());
    assertEquals(-1, r.getWatchId());
    assertEquals("mvcc: watcher range is empty", r.getCancelReason());
    s.create(range("b", "b"));
    assertEquals("mvcc: watcher range is empty", s.next().getCancelReason());
  }

  @Test
  void eventsOfOneTxnArriveInOneResponse() {
    WatchTestClient s = watch(range("txn/", "txn0"));
    long rev = target.putAll("txn/a", "txn/b", "txn/c");
    WatchResponse r = s.next();
    assertEquals(3, r.getEventsCount(), r.toString());
    for (Event e : r.getEventsList()) assertEquals(rev, e.getKv().getModRevision());
    assertEquals(rev, r.getHeader().getRevision());
  }

  @Test
  void cancelAnswersCanceledAndStopsEvents() {
    WatchTestClient s = watch(key("cxl"));
    s.create(key("cxl-other"));
    assertEquals(1, s.next().getWatchId());
    s.cancel(0);
    WatchResponse c = s.next();
    assertTrue(c.getCanceled(), c.toString());
    assertEquals(0, c.getWatchId());
    target.put("cxl", "1");
    target.put("cxl-other", "1");
    WatchResponse r = s.next();
    assertEquals(1, r.getWatchId(), "only the live watch reports: " + r);
    assertNull(s.poll(QUIET));
  }

  @Test
  void progressRequestReportsTheCurrentRevision() {
    WatchTestClient s = watch(key("prog"));
    target.put("prog-unrelated", "x");
    long rev = target.currentRevision();
    s.requestProgress();
    WatchResponse r = s.next();
    assertEquals(-1, r.getWatchId(), r.toString());
    assertEquals(0, r.getEventsCount());
    assertTrue(r.getHeader().getRevision() >= rev, r.toString());
  }

  @Test
  void progressNotifyForAnIdleWatcher() {
    WatchTestClient s = watch(key("notify").setProgressNotify(true).setWatchId(3));
    target.put("notify-unrelated", "x");
    long rev = target.currentRevision();
    Wait.until(Duration.ofSeconds(10), "a progress notification at revision " + rev, () -> {
      for (WatchResponse r; (r = s.poll(Duration.ZERO)) != null; ) {
        assertEquals(3, r.getWatchId());
        assertEquals(0, r.getEventsCount());
        if (r.getHeader().getRevision() >= rev) return true;
      }
      return false;
    });
  }

  @Test
  void compactedStartRevisionIsCanceledWithCompactRevision() {
    long r1 = target.put("cmp", "1");
    long r2 = target.put("cmp", "2");
    target.put("cmp", "3");
    target.compact(r2);
    WatchTestClient s = target.open(WatchTestClient.createRequest(key("cmp").setStartRevision(r1)));
    WatchResponse created = s.next();
    assertTrue(created.getCreated(), created.toString());
    WatchResponse r = s.next();
    assertTrue(r.getCanceled(), r.toString());
    assertEquals(r2, r.getCompactRevision());

    // exactly at the compact revision is served, as in etcd
    WatchTestClient at = watch(key("cmp").setStartRevision(r2));
    List<Event> events = at.events(0, 2, Duration.ofSeconds(10));
    assertEquals(List.of("2", "3"), events.stream().map(e -> e.getKv().getValue().toStringUtf8()).toList());
  }

  @Test
  void fragmentSplitsLargeResponses() {
    // etcd splits at --max-request-bytes plus gRPC's 512 KiB allowance: 150 puts of 3.8 KB make one 570 KB batch
    String value = "v".repeat(3800);
    int n = 150;
    long first = 0;
    for (int i = 0; i < n; i++) {
      long rev = target.put("frag/" + i, value);
      if (i == 0) first = rev;
    }
    int limit = WatchTarget.MAX_REQUEST_BYTES + 512 * 1024;
    WatchTestClient s = watch(range("frag/", "frag0").setStartRevision(first).setFragment(true));
    List<WatchResponse> parts = new ArrayList<>();
    int events = 0;
    while (events < n) {
      WatchResponse r = s.next();
      parts.add(r);
      events += r.getEventsCount();
      assertTrue(r.getSerializedSize() < limit, "fragment of " + r.getSerializedSize() + " bytes");
    }
    assertTrue(parts.size() > 1, "expected fragments, got " + parts.size());
    for (int i = 0; i < parts.size(); i++) assertEquals(i < parts.size() - 1, parts.get(i).getFragment());

    WatchTestClient whole = watch(range("frag/", "frag0").setStartRevision(first));
    assertEquals(n, whole.next().getEventsCount(), "without fragment one response carries the batch");
  }
}
