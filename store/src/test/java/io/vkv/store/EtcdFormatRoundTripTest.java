package io.vkv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vkv.api.etcdserverpb.AlarmMember;
import io.vkv.api.etcdserverpb.AlarmRequest;
import io.vkv.api.etcdserverpb.AlarmType;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.internal.InternalRequest;
import io.vkv.store.bbolt.BoltBucket;
import io.vkv.store.bbolt.BoltReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Set;
import io.vkv.store.etcdformat.EtcdMember;
import io.vkv.store.etcdformat.EtcdSnapshotReader;
import io.vkv.store.etcdformat.EtcdSnapshotWriter;
import io.vkv.store.etcdformat.SnapshotStatus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store written as etcd's snapshot file and read back into a fresh store holds the same versions, leases, hashes. */
class EtcdFormatRoundTripTest {
  @TempDir
  Path dir;

  private static final List<EtcdMember> MEMBERS = List.of(new EtcdMember(0xbdae9bbc11dd390dL, "a",
      List.of("http://127.0.0.1:2380"), List.of("http://127.0.0.1:2379")));

  @Test
  void everyVersionLeaseAndRevisionSurvivesTheRoundTrip() throws Exception {
    try (Fixture f = new Fixture(dir.resolve("src"))) {
      f.grantLease();
      for (int i = 0; i < 500; i++) f.ok(Fixture.put("k" + (i % 50), "v" + i));
      f.ok(Fixture.put(Fixture.putReq("leased", "x").setLease(Fixture.LEASE)));
      f.ok(Fixture.put("big", "v".repeat(100_000)));
      f.ok(Fixture.put("L".repeat(300), "long key"));
      f.ok(Fixture.del("k1", ""));
      f.ok(Fixture.compact(200));
      f.ok(Fixture.put("after", "compaction"));
      f.ok(Fixture.del("k2", "k3"));

      Path file = dir.resolve("snap.db");
      try (StoreExport view = f.store.openExport()) {
        f.ok(Fixture.put("written", "while exporting")); // not in the snapshot: the view is a point in time
        EtcdSnapshotWriter.write(view, MEMBERS, file);
      }
      long revisionAtExport = f.store.currentRevision() - 1;
      assertEquals(revisionAtExport, SnapshotStatus.of(file).revision());

      try (MvccStore restored = MvccStore.open(new StoreConfig(dir.resolve("dst"), 0))) {
        EtcdSnapshotReader.Loaded[] loaded = new EtcdSnapshotReader.Loaded[1];
        restored.load(loader -> loaded[0] = EtcdSnapshotReader.load(file, loader, 1));
        assertEquals(revisionAtExport, restored.currentRevision());
        assertEquals(200, restored.compactedRevision());
        assertEquals(1, restored.consistentIndex());
        assertEquals(1, loaded[0].leases());

        f.ok(Fixture.del("written", "")); // back to the exported contents, apart from one more revision
        RangeRequest all = RangeRequest.newBuilder().setKey(Fixture.bs("\0")).setRangeEnd(Fixture.bs("\0")).build();
        assertEquals(f.store.range(all.toBuilder().setRevision(revisionAtExport).build()).getKvsList(),
            restored.range(all).getKvsList());
        assertEquals(f.store.hashKV(revisionAtExport), restored.hashKV(revisionAtExport));
        assertEquals(f.store.history(201, revisionAtExport, 10_000), restored.history(201, revisionAtExport, 10_000));
        assertEquals(f.store.leases(), restored.leases());
        assertEquals(f.store.keysWithLease(Fixture.LEASE), restored.keysWithLease(Fixture.LEASE));
        assertEquals(f.store.auth().revision(), restored.auth().revision());
        // a restored store goes on applying after its index
        assertThrows(IllegalStateException.class, () -> restored.load(loader -> {}));
      }
    }
  }

  @Test
  void activeAlarmsAreKeysOfTheAlarmBucketAndComeBack() throws Exception {
    List<AlarmMember> alarms = List.of(
        AlarmMember.newBuilder().setMemberID(7).setAlarm(AlarmType.NOSPACE).build(),
        AlarmMember.newBuilder().setMemberID(0xbdae9bbc11dd390dL).setAlarm(AlarmType.CORRUPT).build());
    Path file = dir.resolve("alarms.db");
    try (Fixture f = new Fixture(dir.resolve("src"))) {
      f.ok(Fixture.put("a", "1"));
      for (AlarmMember a : alarms) {
        f.ok(InternalRequest.newBuilder().setAlarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.ACTIVATE)
            .setMemberID(a.getMemberID()).setAlarm(a.getAlarm())).build());
      }
      try (StoreExport view = f.store.openExport()) {
        EtcdSnapshotWriter.write(view, MEMBERS, file);
      }
    }
    // etcd's layout: the marshalled AlarmMember is the key, the value is empty
    List<AlarmMember> inBucket = new ArrayList<>();
    try (BoltReader r = BoltReader.open(file)) {
      BoltBucket bucket = r.bucket(r.root(), "alarm".getBytes(StandardCharsets.UTF_8));
      r.forEach(bucket, (k, v, nested) -> {
        assertEquals(0, v.length);
        inBucket.add(AlarmMember.parseFrom(k));
      });
    }
    assertEquals(Set.copyOf(alarms), Set.copyOf(inBucket));
    assertEquals(2, inBucket.size());
    try (MvccStore restored = MvccStore.open(new StoreConfig(dir.resolve("dst"), 0))) {
      restored.load(loader -> EtcdSnapshotReader.load(file, loader, 1));
      assertEquals(Set.copyOf(alarms), Set.copyOf(restored.alarms()));
      assertEquals(2, restored.alarms().size());
    }
  }
}
