package io.vkv.store;

import static io.vkv.store.Fixture.put;
import static io.vkv.store.Fixture.putReq;
import static io.vkv.store.Fixture.del;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.LeaseCheckpoint;
import io.vkv.api.etcdserverpb.LeaseCheckpointRequest;
import io.vkv.api.etcdserverpb.LeaseGrantRequest;
import io.vkv.api.etcdserverpb.LeaseGrantResponse;
import io.vkv.api.etcdserverpb.LeaseRevokeRequest;
import io.vkv.api.internal.InternalRequest;
import io.vkv.api.mvccpb.Event;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseStoreTest {
  @TempDir
  Path dir;

  static InternalRequest grant(long id, long ttl) {
    return InternalRequest.newBuilder().setLeaseGrant(LeaseGrantRequest.newBuilder().setID(id).setTTL(ttl)).build();
  }

  static InternalRequest revoke(long id) {
    return InternalRequest.newBuilder().setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(id)).build();
  }

  static InternalRequest checkpoint(long id, long remaining) {
    return InternalRequest.newBuilder().setLeaseCheckpoint(LeaseCheckpointRequest.newBuilder()
        .addCheckpoints(LeaseCheckpoint.newBuilder().setID(id).setRemainingTTL(remaining))).build();
  }

  @Test
  void grantStoresTheLeaseAndRefusesADuplicate() {
    try (Fixture f = new Fixture(dir)) {
      LeaseGrantResponse g = (LeaseGrantResponse) f.ok(grant(100, 30)).response();
      assertEquals(100, g.getID());
      assertEquals(30, g.getTTL());
      assertEquals(new LeaseRecord(100, 30, 0), f.store.lease(100));
      assertEquals(EtcdError.LEASE_EXIST, f.apply(grant(100, 5)).error().error());
      assertEquals(30, f.store.lease(100).ttl());
      assertEquals(1, f.store.currentRevision()); // a grant writes no key
    }
  }

  @Test
  void aPutSeesALeaseGrantedEarlierInTheSameBatch() {
    try (Fixture f = new Fixture(dir)) {
      var results = f.applyAll(grant(5, 10), put(putReq("k", "v").setLease(5)));
      assertNull(results.get(1).error());
      assertEquals(5, f.kv("k").getLease());
    }
  }

  @Test
  void revokeDeletesOnlyTheKeysStillAttachedInOneRevision() {
    try (Fixture f = new Fixture(dir)) {
      f.ok(grant(1, 10));
      f.ok(grant(2, 10));
      f.applyAll(put(putReq("a", "1").setLease(1)), put(putReq("b", "1").setLease(1)),
          put(putReq("c", "1").setLease(1)), put(putReq("d", "1").setLease(2)));
      f.ok(put(putReq("b", "2").setLease(2))); // moved to lease 2
      f.ok(put(putReq("c", "2").setIgnoreLease(true))); // keeps lease 1
      f.ok(del("a", ""));
      f.ok(put(putReq("a", "again"))); // no lease now
      assertEquals(List.of("c"), Fixture.keys(f.store.keysWithLease(1)));
      assertEquals(List.of("b", "d"), Fixture.keys(f.store.keysWithLease(2)));
      long before = f.store.currentRevision();
      ApplyResult r = f.ok(revoke(2));
      assertEquals(before + 1, r.revision());
      assertEquals(List.of(Event.EventType.DELETE, Event.EventType.DELETE),
          r.events().stream().map(Event::getType).toList());
      assertNull(f.kv("b"));
      assertNull(f.kv("d"));
      assertNull(f.store.lease(2));
      assertEquals(EtcdError.LEASE_NOT_FOUND, f.apply(revoke(2)).error().error());
      assertEquals(EtcdError.LEASE_NOT_FOUND, f.apply(put(putReq("x", "1").setLease(2))).error().error());
      assertEquals("again", f.kv("a").getValue().toStringUtf8());
    }
  }

  @Test
  void revokeOfALeaseWithoutKeysKeepsTheRevision() {
    try (Fixture f = new Fixture(dir)) {
      f.ok(grant(9, 10));
      long before = f.store.currentRevision();
      assertEquals(before, f.ok(revoke(9)).revision());
    }
  }

  @Test
  void checkpointsAndLeasesSurviveAReopen() {
    Fixture f = new Fixture(dir);
    f.ok(grant(3, 100));
    f.ok(put(putReq("k", "v").setLease(3)));
    f.ok(checkpoint(3, 42));
    f.ok(checkpoint(77, 1)); // unknown: ignored
    f.store.sync();
    f.reopen();
    assertEquals(new LeaseRecord(3, 100, 42), f.store.lease(3));
    assertNull(f.store.lease(77));
    assertEquals(List.of("k"), Fixture.keys(f.store.keysWithLease(3)));
    assertEquals(List.of(3L), f.store.leases().stream().map(LeaseRecord::id).toList());
    f.close();
  }
}
