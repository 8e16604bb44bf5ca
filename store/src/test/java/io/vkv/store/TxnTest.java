package io.vkv.store;

import static io.vkv.store.Fixture.bs;
import static io.vkv.store.Fixture.cmp;
import static io.vkv.store.Fixture.compact;
import static io.vkv.store.Fixture.delOp;
import static io.vkv.store.Fixture.getOp;
import static io.vkv.store.Fixture.put;
import static io.vkv.store.Fixture.putOp;
import static io.vkv.store.Fixture.putReq;
import static io.vkv.store.Fixture.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.Compare;
import io.vkv.api.etcdserverpb.Compare.CompareResult;
import io.vkv.api.etcdserverpb.Compare.CompareTarget;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.etcdserverpb.TxnResponse;
import io.vkv.api.mvccpb.Event;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TxnTest {
  @TempDir Path dir;

  private static boolean succeeded(Fixture f, Compare.Builder... compares) {
    TxnRequest.Builder t = TxnRequest.newBuilder();
    for (Compare.Builder c : compares) t.addCompare(c);
    return ((TxnResponse) f.ok(txn(t)).response()).getSucceeded();
  }

  /** k: create 2, mod 3, version 2, value "m", lease 7. */
  private static Fixture withK(Path dir) {
    Fixture f = new Fixture(dir).grantLease();
    f.ok(put("k", "a"));
    f.ok(put(putReq("k", "m").setLease(Fixture.LEASE)));
    return f;
  }

  @Test
  void everyTargetWithEveryResult() {
    try (Fixture f = withK(dir)) {
      long[][] cases = {{CompareTarget.VERSION_VALUE, 2}, {CompareTarget.CREATE_VALUE, 2},
          {CompareTarget.MOD_VALUE, 3}, {CompareTarget.LEASE_VALUE, Fixture.LEASE}};
      for (long[] c : cases) {
        CompareTarget target = CompareTarget.forNumber((int) c[0]);
        for (long delta : new long[] {-1, 0, 1}) {
          long operand = c[1] + delta; // actual ? operand: delta -1 => actual greater
          Compare.Builder base = cmp("k", target, CompareResult.EQUAL);
          switch (target) {
            case VERSION -> base.setVersion(operand);
            case CREATE -> base.setCreateRevision(operand);
            case MOD -> base.setModRevision(operand);
            default -> base.setLease(operand);
          }
          String what = target + " vs " + operand;
          assertEquals(delta == 0, succeeded(f, base.clone().setResult(CompareResult.EQUAL)), what);
          assertEquals(delta != 0, succeeded(f, base.clone().setResult(CompareResult.NOT_EQUAL)), what);
          assertEquals(delta < 0, succeeded(f, base.clone().setResult(CompareResult.GREATER)), what);
          assertEquals(delta > 0, succeeded(f, base.clone().setResult(CompareResult.LESS)), what);
        }
      }
      Compare.Builder v = cmp("k", CompareTarget.VALUE, CompareResult.EQUAL);
      assertTrue(succeeded(f, v.clone().setValue(bs("m"))));
      assertFalse(succeeded(f, v.clone().setValue(bs("n"))));
      assertTrue(succeeded(f, v.clone().setResult(CompareResult.NOT_EQUAL).setValue(bs("n"))));
      assertTrue(succeeded(f, v.clone().setResult(CompareResult.GREATER).setValue(bs("l"))));
      assertFalse(succeeded(f, v.clone().setResult(CompareResult.GREATER).setValue(bs("m"))));
      assertTrue(succeeded(f, v.clone().setResult(CompareResult.LESS).setValue(bs("mm"))));
      assertEquals(3, f.store.currentRevision()); // compares alone write nothing
    }
  }

  @Test
  void missingKeyComparesAsZeroButValueComparesFail() {
    try (Fixture f = new Fixture(dir)) {
      assertTrue(succeeded(f, cmp("nope", CompareTarget.VERSION, CompareResult.EQUAL).setVersion(0)));
      assertTrue(succeeded(f, cmp("nope", CompareTarget.CREATE, CompareResult.EQUAL).setCreateRevision(0)));
      assertTrue(succeeded(f, cmp("nope", CompareTarget.MOD, CompareResult.LESS).setModRevision(1)));
      assertTrue(succeeded(f, cmp("nope", CompareTarget.LEASE, CompareResult.EQUAL).setLease(0)));
      assertFalse(succeeded(f, cmp("nope", CompareTarget.VALUE, CompareResult.EQUAL).setValue(bs(""))));
      assertFalse(succeeded(f, cmp("nope", CompareTarget.VALUE, CompareResult.NOT_EQUAL).setValue(bs("x"))));
    }
  }

  @Test
  void rangeComparesNeedEveryKey() {
    try (Fixture f = new Fixture(dir)) {
      f.applyAll(put("a1", "x"), put("a2", "x"), put("b", "y"));
      Compare.Builder allX = cmp("a", CompareTarget.VALUE, CompareResult.EQUAL).setValue(bs("x"));
      assertTrue(succeeded(f, allX.clone().setRangeEnd(bs("b"))));
      assertFalse(succeeded(f, allX.clone().setRangeEnd(bs("c"))));
      assertTrue(succeeded(f, cmp("a", CompareTarget.VERSION, CompareResult.EQUAL).setVersion(1).setRangeEnd(bs("\0"))));
      assertTrue(succeeded(f, cmp("x", CompareTarget.VERSION, CompareResult.EQUAL).setVersion(0).setRangeEnd(bs("y"))));
      assertFalse(succeeded(f, cmp("x", CompareTarget.VALUE, CompareResult.EQUAL).setRangeEnd(bs("y"))));
    }
  }

  @Test
  void writesShareOneRevisionWithSubRevisionsAndReadsSeeThem() {
    try (Fixture f = new Fixture(dir)) {
      f.ok(put("gone", "1"));
      ApplyResult r = f.ok(txn(TxnRequest.newBuilder()
          .addSuccess(getOp("a"))
          .addSuccess(putOp("a", "1"))
          .addSuccess(getOp("a"))
          .addSuccess(putOp("b", "2"))
          .addSuccess(delOp("gone"))
          .addSuccess(getOp("gone"))));
      TxnResponse t = (TxnResponse) r.response();
      assertTrue(t.getSucceeded());
      assertEquals(3, r.revision());
      assertEquals(3, t.getHeader().getRevision());
      assertEquals(0, t.getResponses(0).getResponseRange().getCount());
      assertEquals(2, t.getResponses(0).getResponseRange().getHeader().getRevision());
      assertEquals("1", t.getResponses(2).getResponseRange().getKvs(0).getValue().toStringUtf8());
      assertEquals(3, t.getResponses(2).getResponseRange().getKvs(0).getModRevision());
      assertEquals(3, t.getResponses(2).getResponseRange().getHeader().getRevision());
      assertEquals(3, t.getResponses(1).getResponsePut().getHeader().getRevision());
      assertEquals(1, t.getResponses(4).getResponseDeleteRange().getDeleted());
      assertEquals(0, t.getResponses(5).getResponseRange().getCount());
      assertEquals(List.of(Event.EventType.PUT, Event.EventType.PUT, Event.EventType.DELETE),
          r.events().stream().map(Event::getType).toList());
      assertEquals(3, f.kv("a").getModRevision());
      assertEquals(3, f.kv("b").getModRevision());
      // a historical read at the txn's pre-state revision, inside a later txn that has written
      TxnResponse later = (TxnResponse) f.ok(txn(TxnRequest.newBuilder()
          .addSuccess(putOp("a", "2"))
          .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bs("a")).setRevision(3))))).response();
      assertEquals("1", later.getResponses(1).getResponseRange().getKvs(0).getValue().toStringUtf8());
      assertEquals(4, later.getResponses(1).getResponseRange().getHeader().getRevision());
    }
  }

  @Test
  void failureBranchAndNestedTxnsUseThePreTxnState() {
    try (Fixture f = withK(dir)) {
      TxnRequest nested = TxnRequest.newBuilder()
          .addCompare(cmp("k", CompareTarget.VALUE, CompareResult.EQUAL).setValue(bs("m")))
          .addSuccess(putOp("inner", "yes"))
          .addFailure(putOp("inner", "no"))
          .build();
      ApplyResult r = f.ok(txn(TxnRequest.newBuilder()
          .addCompare(cmp("k", CompareTarget.VERSION, CompareResult.EQUAL).setVersion(5))
          .addSuccess(putOp("outer", "success"))
          .addFailure(putOp("k", "changed"))
          .addFailure(RequestOp.newBuilder().setRequestTxn(nested))));
      TxnResponse t = (TxnResponse) r.response();
      assertFalse(t.getSucceeded());
      assertTrue(t.getResponses(1).getResponseTxn().getSucceeded()); // compared before "changed" was written
      assertEquals("yes", f.kv("inner").getValue().toStringUtf8());
      assertEquals(f.kv("k").getModRevision(), f.kv("inner").getModRevision());
      assertNull(f.kv("outer"));
      assertEquals(2, r.events().size());
    }
  }

  @Test
  void failingTxnWritesNothing() {
    try (Fixture f = withK(dir)) {
      f.ok(put("k", "z"));
      f.ok(compact(3));
      ApplyResult compacted = f.apply(txn(TxnRequest.newBuilder()
          .addSuccess(putOp("x", "1"))
          .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bs("k")).setRevision(2)))));
      assertEquals(EtcdError.COMPACTED, compacted.error().error());
      ApplyResult future = f.apply(txn(TxnRequest.newBuilder()
          .addSuccess(putOp("x", "1"))
          .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bs("k")).setRevision(99)))));
      assertEquals(EtcdError.FUTURE_REV, future.error().error());
      ApplyResult lease = f.apply(txn(TxnRequest.newBuilder()
          .addSuccess(putOp("x", "1"))
          .addSuccess(RequestOp.newBuilder().setRequestPut(putReq("y", "1").setLease(99)))));
      assertEquals(EtcdError.LEASE_NOT_FOUND, lease.error().error());
      assertNull(f.kv("x"));
      assertEquals(4, f.store.currentRevision());
    }
  }

  @Test
  void errorAfterAnEarlierWriteOfTheSameTxnRollsTheEntryBackOnly() {
    try (Fixture f = withK(dir)) {
      // valid against the pre-txn state, fails once the txn's own delete has run
      var results = f.applyAll(
          put("before", "1"),
          txn(TxnRequest.newBuilder()
              .addSuccess(delOp("k"))
              .addSuccess(RequestOp.newBuilder().setRequestPut(putReq("k", "").setIgnoreValue(true)))),
          put("after", "1"));
      assertNull(results.get(0).error());
      assertEquals(EtcdError.KEY_NOT_FOUND, results.get(1).error().error());
      assertTrue(results.get(1).events().isEmpty());
      assertEquals(4, results.get(1).revision());
      assertNull(results.get(2).error());
      assertEquals(5, results.get(2).revision());
      assertEquals("m", f.kv("k").getValue().toStringUtf8());
      assertEquals(5, f.kv("after").getModRevision());
      assertEquals(List.of(4L, 5L), f.store.history(4, 5, 10).stream().map(e -> e.getKv().getModRevision()).toList());
    }
  }
}
