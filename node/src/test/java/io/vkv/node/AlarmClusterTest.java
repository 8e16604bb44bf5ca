package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.etcdserverpb.AlarmMember;
import io.vkv.api.etcdserverpb.AlarmRequest;
import io.vkv.api.etcdserverpb.AlarmResponse;
import io.vkv.api.etcdserverpb.AlarmType;
import io.vkv.api.etcdserverpb.DeleteRangeRequest;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.node.testing.Wait;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Alarms go through the log: every member applies them, refuses what they refuse, and keeps them over a restart. */
@Timeout(60)
class AlarmClusterTest {
  private static final List<Integer> ALL = List.of(0, 1, 2);
  @TempDir Path dir;
  private TestCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.start(dir);
    cluster.awaitOneLeader(ALL, 10 * TestCluster.ELECTION_MS);
  }

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  @Test
  void noSpaceAlarmIsReplicatedSurvivesARestartAndIsDisarmed() throws Exception {
    cluster.put(0, "before", "v");
    AlarmMember alarm = AlarmMember.newBuilder().setMemberID(cluster.id(1)).setAlarm(AlarmType.NOSPACE).build();
    AlarmResponse raised = alarm(0, AlarmRequest.AlarmAction.ACTIVATE, alarm);
    assertEquals(List.of(alarm), raised.getAlarmsList());
    String text = "memberID:" + Long.toUnsignedString(cluster.id(1)) + " alarm:NOSPACE ";
    awaitStatusErrors(text);
    for (int i : ALL) assertNoSpace(i);
    // deletes still work while the alarm is up
    TestCluster.await(cluster.kv(2).deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes("before")).build()));

    cluster.stopAll();
    cluster.startAll();
    cluster.awaitOneLeader(ALL, 10 * TestCluster.ELECTION_MS);
    for (int i : ALL) assertEquals(List.of(alarm), alarm(i, AlarmRequest.AlarmAction.GET, AlarmMember.getDefaultInstance()).getAlarmsList());
    awaitStatusErrors(text);
    assertNoSpace(1);

    assertEquals(List.of(alarm), alarm(2, AlarmRequest.AlarmAction.DEACTIVATE, alarm).getAlarmsList());
    // deactivating what is not active answers no alarm, as etcd
    assertEquals(List.of(), alarm(2, AlarmRequest.AlarmAction.DEACTIVATE, alarm).getAlarmsList());
    for (int i : ALL) cluster.put(i, "after/" + i, "v");
  }

  private AlarmResponse alarm(int member, AlarmRequest.AlarmAction action, AlarmMember m) throws Exception {
    return TestCluster.await(cluster.maintenance(member).alarm(AlarmRequest.newBuilder().setAction(action)
        .setMemberID(m.getMemberID()).setAlarm(m.getAlarm()).build()));
  }

  /** Status reads each member's own store: every one lists the alarm once it applied it. */
  private void awaitStatusErrors(String text) {
    Wait.until(Duration.ofSeconds(10), "every member's Status to list " + text, () -> {
      for (int i : ALL) if (!cluster.status(i).getErrorsList().equals(List.of(text))) return false;
      return true;
    });
  }

  private void assertNoSpace(int member) throws Exception {
    try {
      TestCluster.await(cluster.kv(member).put(PutRequest.newBuilder().setKey(bytes("k" + member)).setValue(bytes("v")).build()));
      fail("m" + member + " accepted a put under a NOSPACE alarm");
    } catch (ExecutionException e) {
      // etcd's ErrGRPCNoSpace
      assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, ((InvalidStatusException) e.getCause()).actualStatus());
    }
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
