package io.vkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.ResponseHeader;
import io.vkv.api.etcdserverpb.WatchCreateRequest;
import io.vkv.api.etcdserverpb.WatchResponse;
import io.vkv.api.mvccpb.Event;
import io.vkv.api.mvccpb.KeyValue;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The resume, dedup and reassembly rules, without a server. */
class WatchCursorTest {
  private static final WatchCreateRequest NOW = new WatchOptions().prefix().toRequest(Bytes.of("p/"));

  private static WatchResponse.Builder response(long headerRevision) {
    return WatchResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(headerRevision)).setWatchId(0);
  }

  private static Event put(long revision) {
    return Event.newBuilder().setKv(KeyValue.newBuilder().setKey(Bytes.of("p/" + revision)).setModRevision(revision)).build();
  }

  private static WatchResponse events(long... revisions) {
    WatchResponse.Builder b = response(revisions[revisions.length - 1]);
    for (long r : revisions) b.addEvents(put(r));
    return b.build();
  }

  private static List<Long> revisions(WatchCursor.Step s) {
    return s.deliver().events().stream().map(e -> e.getKv().getModRevision()).toList();
  }

  @Test
  void startNowIsPinnedByTheFirstCreatedResponse() {
    WatchCursor c = new WatchCursor(NOW);
    assertEquals(0, c.createRequest().getStartRevision());
    assertSame(WatchCursor.Step.CREATED, c.accept(response(41).setCreated(true).build()));
    assertEquals(42, c.createRequest().getStartRevision());
    assertEquals(41, c.createdRevision());
    // a resumed stream's created header does not move it
    c.accept(response(50).setCreated(true).build());
    assertEquals(42, c.nextRevision());
    assertEquals(41, c.createdRevision());
    assertEquals(NOW.getRangeEnd(), c.createRequest().getRangeEnd());
  }

  @Test
  void eventsAlreadyReceivedAreDroppedAndATransactionStaysWhole() {
    WatchCursor c = new WatchCursor(NOW.toBuilder().setStartRevision(5).build());
    assertEquals(List.of(5L, 6L), revisions(c.accept(events(5, 6))));
    assertSame(WatchCursor.Step.NOTHING, c.accept(events(5, 6)), "a replayed response");
    assertEquals(List.of(7L, 7L, 8L), revisions(c.accept(events(6, 7, 7, 8))), "overlap trimmed, txn at 7 kept");
    assertEquals(9, c.createRequest().getStartRevision());
    assertEquals(List.of(3L), revisions(new WatchCursor(NOW.toBuilder().setStartRevision(3).build()).accept(events(1, 2, 3))));
  }

  @Test
  void fragmentsAreJoinedAndAPartialOneIsDroppedWhenTheStreamBreaks() {
    WatchCursor c = new WatchCursor(NOW.toBuilder().setStartRevision(1).build());
    WatchResponse first = events(1, 2).toBuilder().setFragment(true).build();
    assertSame(WatchCursor.Step.NOTHING, c.accept(first));
    assertTrue(c.fragmentBytes() > 0);
    assertSame(WatchCursor.Step.NOTHING, c.accept(events(3).toBuilder().setFragment(true).build()));
    WatchCursor.Step joined = c.accept(events(4));
    assertEquals(List.of(1L, 2L, 3L, 4L), revisions(joined));
    assertEquals(0, c.fragmentBytes());
    assertEquals(5, c.nextRevision());

    c.accept(events(5).toBuilder().setFragment(true).build());
    c.streamLost();
    assertEquals(0, c.fragmentBytes());
    assertEquals(5, c.nextRevision(), "an incomplete response moves nothing");
    assertEquals(List.of(5L, 6L), revisions(c.accept(events(5, 6))));
  }

  @Test
  void progressNotificationsMoveTheResumeRevisionForwardOnly() {
    WatchCursor c = new WatchCursor(NOW);
    c.accept(response(10).setCreated(true).build());
    WatchCursor.Step p = c.accept(response(20).build());
    assertTrue(p.deliver().isProgressNotify());
    assertEquals(20, p.deliver().revision());
    assertEquals(21, c.nextRevision());
    c.accept(response(15).build());
    assertEquals(21, c.nextRevision());
    assertSame(WatchCursor.Step.NOTHING, c.accept(events(LongStream.rangeClosed(18, 20).toArray())));
  }

  @Test
  void compactionAndServerCancelsAreErrors() {
    WatchCursor c = new WatchCursor(NOW.toBuilder().setStartRevision(2).build());
    WatchCursor.Step compacted = c.accept(response(30).setCanceled(true).setCompactRevision(17).build());
    assertNull(compacted.deliver());
    WatchCompactedException e = assertInstanceOf(WatchCompactedException.class, compacted.error());
    assertEquals(17, e.compactRevision());
    assertEquals(EtcdError.COMPACTED, e.etcdError().orElseThrow());

    VkvException refused = c.accept(response(30).setWatchId(-1).setCreated(true).setCanceled(true)
        .setCancelReason("mvcc: watcher range is empty").build()).error();
    assertTrue(refused.getMessage().endsWith("mvcc: watcher range is empty"), refused.getMessage());
  }
}
