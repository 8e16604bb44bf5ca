package io.vkv.store;

import static io.vkv.store.Fixture.compact;
import static io.vkv.store.Fixture.del;
import static io.vkv.store.Fixture.put;
import static io.vkv.store.Fixture.rangeReq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.EtcdError;
import io.vkv.api.EtcdException;
import io.vkv.api.etcdserverpb.CompactionResponse;
import io.vkv.api.mvccpb.Event;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** a@2 a@3 b@4 (del a)@5 c@6 b@7: revision 7. */
class CompactionTest {
  @TempDir Path dir;
  Fixture f;

  @BeforeEach
  void load() {
    f = new Fixture(dir);
    f.applyAll(put("a", "1"), put("a", "2"), put("b", "1"), del("a", ""), put("c", "1"), put("b", "2"));
  }

  @org.junit.jupiter.api.AfterEach
  void close() {
    f.close();
  }

  @Test
  void compactionRejectsFutureAndAlreadyCompactedRevisions() {
    assertEquals(EtcdError.FUTURE_REV, f.apply(compact(8)).error().error());
    ApplyResult ok = f.ok(compact(5));
    assertEquals(7, ((CompactionResponse) ok.response()).getHeader().getRevision());
    assertEquals(7, ok.revision());
    assertEquals(5, f.store.compactedRevision());
    assertEquals(EtcdError.COMPACTED, f.apply(compact(5)).error().error());
    assertEquals(EtcdError.COMPACTED, f.apply(compact(4)).error().error());
    f.ok(compact(6));
  }

  @Test
  void readsBelowTheCompactedRevisionFailButAtItSucceed() {
    f.ok(compact(5));
    EtcdException e = assertThrows(EtcdException.class, () -> f.range(rangeReq("\0", "\0").setRevision(4).build()));
    assertEquals(EtcdError.COMPACTED, e.error());
    assertEquals(List.of("b"), f.keys(rangeReq("\0", "\0").setRevision(5).build()));
    assertEquals("1", f.range(rangeReq("b", "").setRevision(6).build()).getKvs(0).getValue().toStringUtf8());
    assertEquals(List.of("b", "c"), f.keys(rangeReq("\0", "\0").setRevision(6).build()));
    assertEquals(List.of("b", "c"), f.keys(rangeReq("\0", "\0").build()));
    assertEquals(2, f.kv("b").getVersion());
  }

  @Test
  void historyIsTrimmedAndRejectsCompactedStarts() {
    assertEquals(6, f.store.history(1, 7, 100).size());
    f.ok(compact(5));
    assertEquals(EtcdError.COMPACTED, assertThrows(EtcdException.class, () -> f.store.history(5, 7, 10)).error());
    List<Event> tail = f.store.history(6, 7, 10);
    assertEquals(2, tail.size());
    // prev_kv of b@7 is b@4, kept because it is b's newest version at the compacted revision
    assertEquals(4, tail.get(1).getPrevKv().getModRevision());
    assertTrue(f.store.dbSizeInUse() > 0);
  }

  @Test
  void historyStopsAtMaxEventsWithoutSplittingARevision() {
    f.ok(del("\0", "\0")); // revision 8 deletes b and c
    f.ok(put("d", "1"));
    List<Event> first = f.store.history(7, 9, 2);
    assertEquals(List.of(7L, 8L, 8L), first.stream().map(e -> e.getKv().getModRevision()).toList());
    assertEquals("1", first.get(2).getPrevKv().getValue().toStringUtf8());
    assertEquals(1, f.store.history(9, 9, 1).size());
    assertEquals(0, f.store.history(10, 20, 5).size());
  }

  @Test
  void compactionSurvivesReopen() {
    f.ok(compact(6));
    f.reopen();
    assertEquals(6, f.store.compactedRevision());
    assertEquals(7, f.store.currentRevision());
    assertEquals(List.of("b", "c"), f.keys(rangeReq("\0", "\0").setRevision(6).build()));
  }
}
