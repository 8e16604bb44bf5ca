package io.vkv.store;

import static io.vkv.store.Fixture.put;
import static io.vkv.store.Fixture.rangeReq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.EtcdError;
import io.vkv.api.EtcdException;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeRequest.SortOrder;
import io.vkv.api.etcdserverpb.RangeRequest.SortTarget;
import io.vkv.api.etcdserverpb.RangeResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys: a(rev 2, then 6: version 2, value "z"), b(3, "y"), c(4, "x"), d(5, "x"). Current revision 6. */
class RangeTest {
  @TempDir Path dir;
  Fixture f;

  @BeforeEach
  void load() {
    f = new Fixture(dir);
    f.ok(put("a", "w"));
    f.ok(put("b", "y"));
    f.ok(put("c", "x"));
    f.ok(put("d", "x"));
    f.ok(put("a", "z"));
  }

  @org.junit.jupiter.api.AfterEach
  void close() {
    f.close();
  }

  @Test
  void singleKeyHalfOpenRangeAndFromKey() {
    assertEquals(List.of("b"), f.keys(RangeRequest.newBuilder().setKey(Fixture.bs("b")).build()));
    assertEquals(List.of(), f.keys(RangeRequest.newBuilder().setKey(Fixture.bs("bb")).build()));
    assertEquals(List.of("b", "c"), f.keys(rangeReq("b", "d").build()));
    assertEquals(List.of("b", "c", "d"), f.keys(rangeReq("b", "\0").build()));
    assertEquals(List.of("a", "b", "c", "d"), f.keys(rangeReq("\0", "\0").build()));
    assertEquals(List.of(), f.keys(rangeReq("c", "b").build()));
    assertEquals(6, f.get("a").getHeader().getRevision());
  }

  @Test
  void limitSetsMoreAndCountIsTheTotal() {
    RangeResponse r = f.range(rangeReq("a", "\0").setLimit(2).build());
    assertEquals(List.of("a", "b"), Fixture.keys(r.getKvsList()));
    assertTrue(r.getMore());
    assertEquals(4, r.getCount());
    RangeResponse all = f.range(rangeReq("a", "\0").setLimit(4).build());
    assertFalse(all.getMore());
    assertEquals(4, all.getCount());
  }

  @Test
  void sortOrdersAndTargets() {
    assertEquals(List.of("d", "c", "b", "a"),
        f.keys(rangeReq("a", "\0").setSortOrder(SortOrder.DESCEND).build()));
    assertEquals(List.of("a", "b", "c", "d"),
        f.keys(rangeReq("a", "\0").setSortOrder(SortOrder.ASCEND).build()));
    // a target other than KEY with order NONE sorts ascending (etcd 3.4)
    assertEquals(List.of("c", "d", "b", "a"), f.keys(rangeReq("a", "\0").setSortTarget(SortTarget.VALUE).build()));
    assertEquals(List.of("a", "b", "c", "d"), // ties keep key order
        f.keys(rangeReq("a", "\0").setSortTarget(SortTarget.VALUE).setSortOrder(SortOrder.DESCEND).build()));
    assertEquals(List.of("b", "c", "d", "a"), f.keys(rangeReq("a", "\0").setSortTarget(SortTarget.MOD).build()));
    assertEquals(List.of("a", "d", "c", "b"),
        f.keys(rangeReq("a", "\0").setSortTarget(SortTarget.MOD).setSortOrder(SortOrder.DESCEND).build()));
    assertEquals(List.of("d", "c", "b", "a"),
        f.keys(rangeReq("a", "\0").setSortTarget(SortTarget.CREATE).setSortOrder(SortOrder.DESCEND).build()));
    assertEquals(List.of("a", "b", "c", "d"), f.keys(rangeReq("a", "\0").setSortTarget(SortTarget.CREATE).build()));
    assertEquals("a", f.keys(rangeReq("a", "\0").setSortTarget(SortTarget.VERSION)
        .setSortOrder(SortOrder.DESCEND).build()).get(0));
    // sort happens before limit
    RangeResponse top = f.range(rangeReq("a", "\0").setSortOrder(SortOrder.DESCEND).setLimit(1).build());
    assertEquals(List.of("d"), Fixture.keys(top.getKvsList()));
    assertTrue(top.getMore());
    assertEquals(4, top.getCount());
  }

  @Test
  void keysOnlyAndCountOnly() {
    RangeResponse k = f.range(rangeReq("a", "\0").setKeysOnly(true).build());
    assertEquals(4, k.getKvsCount());
    assertTrue(k.getKvsList().stream().allMatch(kv -> kv.getValue().isEmpty() && kv.getModRevision() > 0));
    RangeResponse c = f.range(rangeReq("a", "\0").setCountOnly(true).build());
    assertEquals(0, c.getKvsCount());
    assertEquals(4, c.getCount());
    assertEquals(1, f.range(RangeRequest.newBuilder().setKey(Fixture.bs("a")).setCountOnly(true).build()).getCount());
  }

  @Test
  void modAndCreateRevisionFilters() {
    assertEquals(List.of("a", "c", "d"), f.keys(rangeReq("a", "\0").setMinModRevision(4).build()));
    assertEquals(List.of("b", "c"), f.keys(rangeReq("a", "\0").setMaxModRevision(4).build()));
    assertEquals(List.of("c", "d"), f.keys(rangeReq("a", "\0").setMinCreateRevision(4).build()));
    assertEquals(List.of("a", "b"), f.keys(rangeReq("a", "\0").setMaxCreateRevision(3).build()));
    RangeResponse r = f.range(rangeReq("a", "\0").setMinModRevision(4).setLimit(1).build());
    assertEquals(List.of("a"), Fixture.keys(r.getKvsList()));
    assertTrue(r.getMore());
    assertEquals(4, r.getCount()); // etcd counts before the filters
  }

  @Test
  void historicalReadsSeeOldVersionsAndHeaderIsCurrent() {
    RangeResponse at3 = f.range(rangeReq("a", "\0").setRevision(3).build());
    assertEquals(List.of("a", "b"), Fixture.keys(at3.getKvsList()));
    assertEquals("w", at3.getKvs(0).getValue().toStringUtf8());
    assertEquals(6, at3.getHeader().getRevision());
    assertEquals(2, at3.getCount());
    assertEquals("w", f.range(RangeRequest.newBuilder().setKey(Fixture.bs("a")).setRevision(5).build())
        .getKvs(0).getValue().toStringUtf8());
    assertEquals(0, f.range(RangeRequest.newBuilder().setKey(Fixture.bs("a")).setRevision(1).build()).getCount());
    f.ok(Fixture.del("b", ""));
    assertEquals(List.of("a", "c", "d"), f.keys(rangeReq("a", "\0").build()));
    assertEquals(List.of("a", "b", "c", "d"), f.keys(rangeReq("a", "\0").setRevision(6).build()));
    assertEquals(List.of("d", "c", "b"), f.keys(rangeReq("b", "\0").setRevision(6).setSortOrder(SortOrder.DESCEND).build()));
    RangeResponse limited = f.range(rangeReq("a", "\0").setRevision(6).setLimit(1).build());
    assertTrue(limited.getMore());
    assertEquals(4, limited.getCount());
  }

  @Test
  void futureRevisionIsRejected() {
    EtcdException e = assertThrows(EtcdException.class, () -> f.range(rangeReq("a", "\0").setRevision(7).build()));
    assertEquals(EtcdError.FUTURE_REV, e.error());
  }
}
