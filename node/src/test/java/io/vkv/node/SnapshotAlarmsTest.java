package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vkv.api.etcdserverpb.AlarmRequest;
import io.vkv.api.etcdserverpb.AlarmType;
import io.vkv.api.etcdserverpb.MaintenanceGrpcClient;
import io.vkv.node.testing.RealEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Active alarms travel in etcd's snapshot file (its {@code alarm} bucket: the marshalled AlarmMember as the key) and
 * stay active after a restore, as etcd's restore keeps the bucket: vkv's alarms come up in real etcd 3.4 and in vkv,
 * and real etcd's NOSPACE alarm comes up in vkv, each refusing what it refuses.
 */
@Timeout(180)
class SnapshotAlarmsTest {
  private static final String CORRUPT = "Error: etcdserver: corrupt cluster";
  private static final String NO_SPACE = "Error: etcdserver: mvcc: database space exceeded";

  @TempDir Path dir;

  @Test
  void vkvAlarmsAreActiveInRestoredEtcdAndVkv() throws Exception {
    Path file = dir.resolve("vkv.db");
    List<String> alarms;
    VkvNode node = TestNodes.startSingle(dir.resolve("vkv"));
    Vertx vertx = Vertx.vertx();
    try {
      Etcdctl ctl = new Etcdctl(node.endpoints());
      ctl.run("put", "a", "1").assertOk();
      MaintenanceGrpcClient maintenance = MaintenanceGrpcClient.create(GrpcClient.client(vertx),
          SocketAddress.inetSocketAddress(node.clientUrls().get(0).getPort(), "127.0.0.1"));
      activate(maintenance, node.memberId(), AlarmType.CORRUPT);
      activate(maintenance, 42, AlarmType.NOSPACE);
      alarms = alarmLines(ctl);
      assertEquals(java.util.stream.Stream.of("memberID:42 alarm:NOSPACE ", "memberID:"
          + Long.toUnsignedString(node.memberId()) + " alarm:CORRUPT ").sorted().toList(), alarms);
      ctl.run("snapshot", "save", file.toString()).assertOk();
      // etcdctl counts the alarm bucket's keys too: its status and vkv's agree
      assertEquals(ctl.run("snapshot", "status", file.toString(), "-w", "json").assertOk().out(),
          SnapshotMigrationTest.vkvStatus(file, "json"));
      Path etcdHome = dir.resolve("etcd");
      ctl.run("snapshot", "restore", file.toString(), "--data-dir", etcdHome.resolve("etcd-data").toString(),
          "--name", "ref", "--initial-cluster", "ref=http://127.0.0.1:2380", "--initial-advertise-peer-urls",
          "http://127.0.0.1:2380", "--initial-cluster-token", "from-vkv").assertOk();
    } finally {
      TestNodes.stop(node);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    try (RealEtcd etcd = RealEtcd.start(dir.resolve("etcd"))) {
      Etcdctl onEtcd = new Etcdctl(etcd.endpoint());
      assertEquals(alarms, alarmLines(onEtcd), "etcd restores the alarms");
      assertRefused(onEtcd.run("put", "b", "2"), CORRUPT);
      assertEquals("1\n", onEtcd.run("get", "a", "--print-value-only").assertOk().out());
    }
    Path restored = dir.resolve("restored");
    SnapshotSaveRestoreTest.Result r = SnapshotSaveRestoreTest.restore(file, restored);
    assertEquals(0, r.code(), r.err());
    VkvNode again = TestNodes.startSingle(restored);
    try {
      Etcdctl onVkv = new Etcdctl(again.endpoints());
      assertEquals(alarms, alarmLines(onVkv), "vkv restores the alarms");
      assertRefused(onVkv.run("put", "b", "2"), CORRUPT);
      assertEquals("1\n", onVkv.run("get", "a", "--print-value-only").assertOk().out());
      onVkv.run("alarm", "disarm").assertOk();
      onVkv.run("put", "b", "2").assertOk();
    } finally {
      TestNodes.stop(again);
    }
  }

  @Test
  void etcdsNoSpaceAlarmIsActiveInRestoredVkv() throws Exception {
    Path file = dir.resolve("etcd.db");
    List<String> alarms;
    try (RealEtcd etcd = RealEtcd.start(Files.createDirectories(dir.resolve("etcd")), "--quota-backend-bytes=1048576")) {
      Etcdctl ctl = new Etcdctl(etcd.endpoint());
      String value = "x".repeat(100_000);
      Etcdctl.Result refused = null;
      for (int i = 0; i < 40 && refused == null; i++) {
        Etcdctl.Result put = ctl.run("put", "k" + i, value);
        if (put.exitCode() != 0) refused = put;
      }
      assertTrue(refused != null, "etcd never reached its quota");
      assertRefused(refused, NO_SPACE);
      alarms = alarmLines(ctl);
      assertEquals(1, alarms.size(), alarms::toString);
      assertTrue(alarms.get(0).endsWith(" alarm:NOSPACE "), alarms::toString);
      ctl.run("snapshot", "save", file.toString()).assertOk();
    }
    Path restored = dir.resolve("restored");
    SnapshotSaveRestoreTest.Result r = SnapshotSaveRestoreTest.restore(file, restored);
    assertEquals(0, r.code(), r.err());
    // vkv's default quota of 2 GiB: the alarm alone refuses the put
    VkvNode node = TestNodes.startSingle(restored);
    try {
      Etcdctl onVkv = new Etcdctl(node.endpoints());
      assertEquals(alarms, alarmLines(onVkv));
      assertRefused(onVkv.run("put", "small", "v"), NO_SPACE);
      onVkv.run("del", "k0").assertOk();
      onVkv.run("alarm", "disarm").assertOk();
      onVkv.run("put", "small", "v").assertOk();
    } finally {
      TestNodes.stop(node);
    }
  }

  private static void activate(MaintenanceGrpcClient m, long member, AlarmType type) throws Exception {
    TestCluster.await(m.alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.ACTIVATE)
        .setMemberID(member).setAlarm(type).build()));
  }

  /** {@code alarm list}'s lines, sorted: etcd lists alarms of different types in no fixed order. */
  private static List<String> alarmLines(Etcdctl ctl) {
    return ctl.run("alarm", "list").assertOk().out().lines().sorted().toList();
  }

  private static void assertRefused(Etcdctl.Result r, String error) {
    List<String> errors = r.err().lines().filter(l -> !l.startsWith("{\"level\":")).toList();
    assertEquals(List.of(1, "", List.of(error)), List.of(r.exitCode(), r.out(), errors), r::toString);
  }
}
