package io.vkv.store;

import static io.vkv.store.Fixture.del;
import static io.vkv.store.Fixture.put;
import static io.vkv.store.Fixture.rangeReq;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vkv.api.etcdserverpb.DeleteRangeResponse;
import io.vkv.api.mvccpb.Event;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeleteTest {
  @TempDir Path dir;
  Fixture f;

  @BeforeEach
  void load() {
    f = new Fixture(dir);
    f.applyAll(put("a", "1"), put("b", "2"), put("b1", "3"), put("c", "4"));
  }

  @org.junit.jupiter.api.AfterEach
  void close() {
    f.close();
  }

  @Test
  void singleKeyWithPrevKv() {
    DeleteRangeResponse r = (DeleteRangeResponse) f.ok(del("b", "")).response();
    assertEquals(1, r.getDeleted());
    assertEquals("2", r.getPrevKvs(0).getValue().toStringUtf8());
    assertEquals(List.of("a", "b1", "c"), f.keys(rangeReq("\0", "\0").build()));
  }

  @Test
  void rangeDeleteSharesOneRevisionWithSubRevisions() {
    ApplyResult res = f.ok(del("b", "c"));
    assertEquals(2, ((DeleteRangeResponse) res.response()).getDeleted());
    assertEquals(6, res.revision());
    assertEquals(2, res.events().size());
    assertEquals(Event.EventType.DELETE, res.events().get(1).getType());
    assertEquals("b1", res.events().get(1).getKv().getKey().toStringUtf8());
    assertEquals(2, f.store.history(6, 6, 100).size());
    assertEquals(List.of("a", "c"), f.keys(rangeReq("\0", "\0").build()));
  }

  @Test
  void prefixAndAll() {
    assertEquals(2, ((DeleteRangeResponse) f.ok(del("b", "c")).response()).getDeleted());
    assertEquals(2, ((DeleteRangeResponse) f.ok(del("\0", "\0")).response()).getDeleted());
    assertEquals(0, f.range(rangeReq("\0", "\0").build()).getCount());
    DeleteRangeResponse none = (DeleteRangeResponse) f.ok(del("\0", "\0")).response();
    assertEquals(0, none.getDeleted());
    assertEquals(7, none.getHeader().getRevision());
  }

  @Test
  void fromKeyDeletesEverythingAtOrAbove() {
    assertEquals(2, ((DeleteRangeResponse) f.ok(del("b1", "\0")).response()).getDeleted());
    assertEquals(List.of("a", "b"), f.keys(rangeReq("\0", "\0").build()));
  }
}
