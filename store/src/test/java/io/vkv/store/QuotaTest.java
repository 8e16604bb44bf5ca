package io.vkv.store;

import static io.vkv.store.Fixture.del;
import static io.vkv.store.Fixture.putOp;
import static io.vkv.store.Fixture.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.AlarmMember;
import io.vkv.api.etcdserverpb.AlarmRequest;
import io.vkv.api.etcdserverpb.AlarmResponse;
import io.vkv.api.etcdserverpb.AlarmType;
import io.vkv.api.etcdserverpb.DeleteRangeResponse;
import io.vkv.api.etcdserverpb.LeaseGrantRequest;
import io.vkv.api.etcdserverpb.LeaseRevokeRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.internal.InternalRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alarms as log entries: etcd's alarm store, capped applier (NOSPACE) and corrupt applier (CORRUPT). */
class QuotaTest {
  @TempDir Path dir;

  static InternalRequest alarm(AlarmRequest.AlarmAction action, long member, AlarmType type) {
    return InternalRequest.newBuilder()
        .setAlarm(AlarmRequest.newBuilder().setAction(action).setMemberID(member).setAlarm(type)).build();
  }

  static AlarmMember member(long id, AlarmType type) {
    return AlarmMember.newBuilder().setMemberID(id).setAlarm(type).build();
  }

  @Test
  void noSpaceRefusesWhatGrowsTheStoreUntilDisarmed() {
    try (Fixture f = new Fixture(dir)) {
      f.ok(Fixture.put("k0", "v"));
      f.ok(InternalRequest.newBuilder().setLeaseGrant(LeaseGrantRequest.newBuilder().setID(9).setTTL(60)).build());
      AlarmResponse raised = (AlarmResponse) f.ok(alarm(AlarmRequest.AlarmAction.ACTIVATE, 42, AlarmType.NOSPACE)).response();
      assertEquals(List.of(member(42, AlarmType.NOSPACE)), raised.getAlarmsList());
      // raising it again answers nothing, as etcd
      assertEquals(0, ((AlarmResponse) f.ok(alarm(AlarmRequest.AlarmAction.ACTIVATE, 42, AlarmType.NOSPACE)).response()).getAlarmsCount());
      long rev = f.store.currentRevision();

      assertEquals(EtcdError.NO_SPACE, f.apply(Fixture.put("new", "v")).error().error());
      assertEquals(EtcdError.NO_SPACE, f.apply(txn(TxnRequest.newBuilder().addFailure(putOp("n", "v")))).error().error());
      assertEquals(EtcdError.NO_SPACE, f.apply(InternalRequest.newBuilder()
          .setLeaseGrant(LeaseGrantRequest.newBuilder().setID(10).setTTL(60)).build()).error().error());
      assertEquals(rev, f.store.currentRevision());
      assertNull(f.apply(txn(TxnRequest.newBuilder().addSuccess(Fixture.getOp("k0")))).error());
      f.ok(InternalRequest.newBuilder().setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(9)).build());
      ApplyResult d = f.ok(del("k", "l"));
      assertEquals(1, ((DeleteRangeResponse) d.response()).getDeleted());
      f.ok(Fixture.compact(f.store.currentRevision()));
      assertNull(f.kv("new"));

      AlarmResponse all = (AlarmResponse) f.ok(alarm(AlarmRequest.AlarmAction.GET, 0, AlarmType.NONE)).response();
      assertEquals(List.of(member(42, AlarmType.NOSPACE)), all.getAlarmsList());
      AlarmResponse gone = (AlarmResponse) f.ok(alarm(AlarmRequest.AlarmAction.DEACTIVATE, 42, AlarmType.NOSPACE)).response();
      assertEquals(List.of(member(42, AlarmType.NOSPACE)), gone.getAlarmsList());
      assertEquals(List.of(), f.store.alarms());
      f.ok(Fixture.put("new", "v"));
    }
  }

  @Test
  void alarmsSurviveReopenAndListByType() {
    try (Fixture f = new Fixture(dir)) {
      f.ok(alarm(AlarmRequest.AlarmAction.ACTIVATE, 7, AlarmType.CORRUPT));
      f.ok(alarm(AlarmRequest.AlarmAction.ACTIVATE, 3, AlarmType.NOSPACE));
      f.ok(alarm(AlarmRequest.AlarmAction.ACTIVATE, 1, AlarmType.NOSPACE));
      f.reopen();
      List<AlarmMember> expected = List.of(member(1, AlarmType.NOSPACE), member(3, AlarmType.NOSPACE),
          member(7, AlarmType.CORRUPT));
      assertEquals(expected, f.store.alarms());
      AlarmResponse corrupt = (AlarmResponse) f.ok(alarm(AlarmRequest.AlarmAction.GET, 0, AlarmType.CORRUPT)).response();
      assertEquals(List.of(member(7, AlarmType.CORRUPT)), corrupt.getAlarmsList());
      // a CORRUPT alarm refuses every key-space change, deletes and compaction included
      assertEquals(EtcdError.CORRUPT, f.apply(del("a", "")).error().error());
      assertEquals(EtcdError.CORRUPT, f.apply(Fixture.compact(1)).error().error());
      // etcd 3.4 serves read-only txns outside the applier: only a txn with a write (or a nested txn) is refused
      RequestOp range = RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(Fixture.bs("a"))).build();
      f.ok(Fixture.txn(TxnRequest.newBuilder().addSuccess(range).addFailure(range)));
      RequestOp put = RequestOp.newBuilder().setRequestPut(Fixture.putReq("a", "v")).build();
      assertEquals(EtcdError.CORRUPT, f.apply(Fixture.txn(TxnRequest.newBuilder().addSuccess(range).addFailure(put)))
          .error().error());
      RequestOp nested = RequestOp.newBuilder().setRequestTxn(TxnRequest.newBuilder().addSuccess(range)).build();
      assertEquals(EtcdError.CORRUPT, f.apply(Fixture.txn(TxnRequest.newBuilder().addSuccess(nested))).error().error());
      f.ok(alarm(AlarmRequest.AlarmAction.DEACTIVATE, 7, AlarmType.CORRUPT));
      // still capped: another NOSPACE alarm remains after one is disarmed
      f.ok(alarm(AlarmRequest.AlarmAction.DEACTIVATE, 3, AlarmType.NOSPACE));
      assertEquals(EtcdError.NO_SPACE, f.apply(Fixture.put("a", "v")).error().error());
      f.ok(alarm(AlarmRequest.AlarmAction.DEACTIVATE, 1, AlarmType.NOSPACE));
      f.ok(Fixture.put("a", "v"));
    }
  }

  @Test
  void unknownAlarmTypesAndActionsChangeNothing() {
    try (Fixture f = new Fixture(dir)) {
      InternalRequest unknownType = InternalRequest.newBuilder().setAlarm(AlarmRequest.newBuilder()
          .setAction(AlarmRequest.AlarmAction.ACTIVATE).setMemberID(1).setAlarmValue(7)).build();
      assertEquals(0, ((AlarmResponse) f.ok(unknownType).response()).getAlarmsCount());
      InternalRequest unknownAction = InternalRequest.newBuilder().setAlarm(AlarmRequest.newBuilder()
          .setActionValue(9).setMemberID(1).setAlarm(AlarmType.NOSPACE)).build();
      assertEquals(0, ((AlarmResponse) f.ok(unknownAction).response()).getAlarmsCount());
      f.ok(alarm(AlarmRequest.AlarmAction.ACTIVATE, 1, AlarmType.NONE));
      assertEquals(List.of(), f.store.alarms());
      f.ok(Fixture.put("a", "v"));
    }
  }

  @Test
  void alarmsTravelWithSnapshotCopies(@TempDir Path copy, @TempDir Path other) {
    try (Fixture f = new Fixture(dir); Fixture g = new Fixture(other)) {
      f.ok(alarm(AlarmRequest.AlarmAction.ACTIVATE, 5, AlarmType.NOSPACE));
      f.store.snapshot(copy.resolve("snap"));
      g.store.restore(copy.resolve("snap"));
      assertEquals(List.of(member(5, AlarmType.NOSPACE)), g.store.alarms());
      assertTrue(g.store.consistentIndex() > 0);
    }
  }
}
