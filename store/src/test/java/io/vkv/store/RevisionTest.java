package io.vkv.store;

import static io.vkv.store.Fixture.del;
import static io.vkv.store.Fixture.getOp;
import static io.vkv.store.Fixture.put;
import static io.vkv.store.Fixture.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.etcdserverpb.DeleteRangeResponse;
import io.vkv.api.etcdserverpb.PutResponse;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.etcdserverpb.TxnResponse;
import io.vkv.api.mvccpb.Event;
import io.vkv.api.mvccpb.KeyValue;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevisionTest {
  @TempDir Path dir;

  @Test
  void emptyStoreStartsAtRevisionOneAndEachWriteAddsOne() {
    try (Fixture f = new Fixture(dir)) {
      assertEquals(1, f.store.currentRevision());
      assertEquals(1, f.get("a").getHeader().getRevision());
      ApplyResult r = f.ok(put("a", "1"));
      assertEquals(2, r.revision());
      assertEquals(2, ((PutResponse) r.response()).getHeader().getRevision());
      f.ok(put("b", "1"));
      f.ok(put("a", "2"));
      KeyValue a = f.kv("a");
      assertEquals(2, a.getCreateRevision());
      assertEquals(4, a.getModRevision());
      assertEquals(2, a.getVersion());
      assertEquals("2", a.getValue().toStringUtf8());
      assertEquals(4, f.store.currentRevision());
    }
  }

  @Test
  void deleteResetsVersionAndCreateRevision() {
    try (Fixture f = new Fixture(dir)) {
      f.ok(put("a", "1"));
      f.ok(put("a", "2"));
      ApplyResult d = f.ok(del("a", ""));
      assertEquals(4, d.revision());
      assertEquals(1, ((DeleteRangeResponse) d.response()).getDeleted());
      assertEquals(0, f.get("a").getCount());
      f.ok(put("a", "3"));
      KeyValue a = f.kv("a");
      assertEquals(1, a.getVersion());
      assertEquals(5, a.getCreateRevision());
      assertEquals(5, a.getModRevision());
    }
  }

  @Test
  void noOpDeleteAndReadOnlyTxnCreateNoRevision() {
    try (Fixture f = new Fixture(dir)) {
      f.ok(put("a", "1"));
      ApplyResult d = f.ok(del("zzz", ""));
      assertEquals(2, d.revision());
      assertEquals(2, ((DeleteRangeResponse) d.response()).getHeader().getRevision());
      assertTrue(d.events().isEmpty());
      ApplyResult t = f.ok(txn(TxnRequest.newBuilder().addSuccess(getOp("a"))));
      assertEquals(2, t.revision());
      assertEquals(2, ((TxnResponse) t.response()).getHeader().getRevision());
      assertEquals(2, f.store.currentRevision());
    }
  }

  @Test
  void eventsCarryPrevKvWhenTheKeyExisted() {
    try (Fixture f = new Fixture(dir)) {
      Event first = f.ok(put("a", "1")).events().get(0);
      assertEquals(Event.EventType.PUT, first.getType());
      assertTrue(!first.hasPrevKv());
      Event second = f.ok(put("a", "2")).events().get(0);
      assertEquals("1", second.getPrevKv().getValue().toStringUtf8());
      Event gone = f.ok(del("a", "")).events().get(0);
      assertEquals(Event.EventType.DELETE, gone.getType());
      assertEquals(4, gone.getKv().getModRevision());
      assertEquals("a", gone.getKv().getKey().toStringUtf8());
      assertEquals("2", gone.getPrevKv().getValue().toStringUtf8());
    }
  }

  @Test
  void resultsMatchEntriesAndRequestIds() {
    try (Fixture f = new Fixture(dir)) {
      var results = f.applyAll(put("a", "1"), put("b", "2"), del("nothing", ""));
      assertEquals(3, results.size());
      assertEquals(1, results.get(0).index());
      assertEquals(20, results.get(0).requestId());
      assertEquals(2, results.get(0).revision());
      assertEquals(3, results.get(1).revision());
      assertEquals(3, results.get(2).revision());
      assertEquals(3, f.store.consistentIndex());
    }
  }
}
