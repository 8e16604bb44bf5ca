package io.vkv.store;

import static io.vkv.store.Fixture.put;
import static io.vkv.store.Fixture.putReq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.PutResponse;
import io.vkv.api.mvccpb.KeyValue;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PutTest {
  @TempDir Path dir;

  @Test
  void prevKvReturnsTheOverwrittenVersionOnly() {
    try (Fixture f = new Fixture(dir)) {
      PutResponse first = (PutResponse) f.ok(put(putReq("a", "1").setPrevKv(true))).response();
      assertFalse(first.hasPrevKv());
      PutResponse second = (PutResponse) f.ok(put(putReq("a", "2").setPrevKv(true))).response();
      assertEquals("1", second.getPrevKv().getValue().toStringUtf8());
      assertEquals(1, second.getPrevKv().getVersion());
      PutResponse third = (PutResponse) f.ok(put("a", "3")).response();
      assertFalse(third.hasPrevKv());
    }
  }

  @Test
  void leaseIsStoredAndUnknownLeaseIsRejectedWithoutWriting() {
    try (Fixture f = new Fixture(dir).grantLease()) {
      f.ok(put(putReq("a", "1").setLease(Fixture.LEASE)));
      assertEquals(Fixture.LEASE, f.kv("a").getLease());
      ApplyResult bad = f.apply(put(putReq("b", "1").setLease(99)));
      assertEquals(EtcdError.LEASE_NOT_FOUND, bad.error().error());
      assertNull(bad.response());
      assertTrue(bad.events().isEmpty());
      assertEquals(2, bad.revision());
      assertNull(f.kv("b"));
      assertEquals(1, f.store.keysWithLease(Fixture.LEASE).size());
    }
  }

  @Test
  void ignoreValueKeepsValueAndNeedsTheKey() {
    try (Fixture f = new Fixture(dir).grantLease()) {
      assertEquals(EtcdError.KEY_NOT_FOUND, f.apply(put(putReq("a", "").setIgnoreValue(true))).error().error());
      assertEquals(1, f.store.currentRevision());
      f.ok(put("a", "keep"));
      f.ok(put(putReq("a", "").setIgnoreValue(true).setLease(Fixture.LEASE)));
      KeyValue a = f.kv("a");
      assertEquals("keep", a.getValue().toStringUtf8());
      assertEquals(Fixture.LEASE, a.getLease());
      assertEquals(2, a.getVersion());
    }
  }

  @Test
  void ignoreLeaseKeepsLeaseAndNeedsTheKey() {
    try (Fixture f = new Fixture(dir).grantLease()) {
      assertEquals(EtcdError.KEY_NOT_FOUND, f.apply(put(putReq("a", "v").setIgnoreLease(true))).error().error());
      f.ok(put(putReq("a", "1").setLease(Fixture.LEASE)));
      f.ok(put(putReq("a", "2").setIgnoreLease(true)));
      assertEquals(Fixture.LEASE, f.kv("a").getLease());
      assertEquals("2", f.kv("a").getValue().toStringUtf8());
      f.ok(put("a", "3"));
      assertEquals(0, f.kv("a").getLease());
    }
  }

  @Test
  void emptyValuesAreStoredAsEmpty() {
    try (Fixture f = new Fixture(dir)) {
      f.ok(put("a", ""));
      KeyValue a = f.kv("a");
      assertEquals(0, a.getValue().size());
      assertEquals(1, a.getVersion());
    }
  }

  @Test
  void anErrorEntryDoesNotAbortTheRestOfTheBatch() {
    try (Fixture f = new Fixture(dir)) {
      var results = f.applyAll(put("a", "1"), put(putReq("b", "1").setLease(99)), put("c", "1"));
      assertNull(results.get(0).error());
      assertEquals(EtcdError.LEASE_NOT_FOUND, results.get(1).error().error());
      assertNull(results.get(2).error());
      assertEquals(3, results.get(2).revision());
      assertEquals(3, f.kv("c").getModRevision());
    }
  }

  @Test
  void leaseRevokeEntryDeletesTheLeasesKeysInOneRevision() {
    try (Fixture f = new Fixture(dir).grantLease()) {
      f.applyAll(put(putReq("a", "1").setLease(Fixture.LEASE)), put("b", "1"), put(putReq("c", "1").setLease(Fixture.LEASE)));
      ApplyResult r = f.ok(io.vkv.api.internal.InternalRequest.newBuilder()
          .setLeaseRevoke(io.vkv.api.etcdserverpb.LeaseRevokeRequest.newBuilder().setID(Fixture.LEASE)).build());
      assertEquals(5, ((io.vkv.api.etcdserverpb.LeaseRevokeResponse) r.response()).getHeader().getRevision());
      assertEquals(5, r.revision());
      assertEquals(2, r.events().size());
      assertNull(f.kv("a"));
      assertEquals("1", f.kv("b").getValue().toStringUtf8());
      assertTrue(f.store.keysWithLease(Fixture.LEASE).isEmpty());
    }
  }
}
