package io.vkv.node;

import static io.vkv.node.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vkv.api.etcdserverpb.AuthGrpcClient;
import io.vkv.api.etcdserverpb.AuthUserAddRequest;
import io.vkv.api.etcdserverpb.AuthUserListRequest;
import io.vkv.api.etcdserverpb.DeleteRangeRequest;
import io.vkv.api.etcdserverpb.HashKVRequest;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.node.raft.LogRetention;
import io.vkv.node.testing.Wait;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower that was down while the leader compacted its log past the follower's last entry catches up from a
 * snapshot: same keys, revisions and hash as the leader, then keeps replicating, also after a restart.
 */
class SnapshotCatchUpTest {
  private static final ByteString ALL = ByteString.copyFrom(new byte[] {0});

  @TempDir Path dir;

  @Test
  void followerBehindTheCompactedLogCatchesUpFromASnapshot() throws Exception {
    List<String> installs = new CopyOnWriteArrayList<>();
    List<String> failures = new CopyOnWriteArrayList<>();
    Logger applyLog = Logger.getLogger("io.vkv.node.raft");
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        String m = r.getMessage();
        if (m == null) return;
        if (m.startsWith("installed the snapshot")) installs.add(m);
        if (m.startsWith("snapshot to") && m.contains("failed")) failures.add(m);
      }

      @Override
      public void flush() { }

      @Override
      public void close() { }
    };
    applyLog.addHandler(capture);
    try (TestCluster c = TestCluster.start(dir, new LogRetention(1_000, 200))) {
      int leader = c.awaitOneLeader(List.of(0, 1, 2), 10_000);
      int f = c.others(leader).get(0);
      c.put(leader, "k/before", "0");
      Wait.until(Duration.ofSeconds(10), "the follower to apply the first write", () -> has(c, f, "k/before"));
      c.stop(f);
      // users and roles live in the store, so the snapshot carries them
      await(AuthGrpcClient.create(c.grpc, c.address(leader))
          .userAdd(AuthUserAddRequest.newBuilder().setName("late").setPassword("pw").build()));

      // far more than the leader keeps (compaction every 1,000 applied entries, 200 kept): overwrites and deletes
      writes(c, leader, 3_000);
      for (int i = 0; i < 50; i++) {
        await(c.kv(leader).deleteRange(DeleteRangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k/" + i)).build()));
      }

      c.start(f);
      awaitSame(c, leader, f);
      // the applier logs the install just after the new store became visible
      Wait.until(Duration.ofSeconds(10), "the install to be logged", () -> !installs.isEmpty());
      assertEquals(1, installs.size(), "snapshot installs: " + installs);
      assertEquals(List.of(), failures);
      assertEquals(List.of("late"), await(AuthGrpcClient.create(c.grpc, c.address(f))
          .userList(AuthUserListRequest.getDefaultInstance())).getUsersList());

      // it keeps replicating
      c.put(leader, "k/after", "1");
      Wait.until(Duration.ofSeconds(10), "the follower to apply a write after the snapshot",
          () -> has(c, f, "k/after"));
      awaitSame(c, leader, f);

      // and it survives a restart after the install (the WAL starts at the snapshot)
      c.stop(f);
      c.start(f);
      c.put(leader, "k/restarted", "2");
      Wait.until(Duration.ofSeconds(15), "the restarted follower to apply a new write", () -> has(c, f, "k/restarted"));
      awaitSame(c, leader, f);
      assertEquals(1, installs.size(), "snapshot installs: " + installs);
    } finally {
      applyLog.removeHandler(capture);
    }
  }

  /** {@code n} puts of 1 KiB values over 600 keys (a snapshot of several chunks), up to 64 in flight. */
  private static void writes(TestCluster c, int member, int n) throws Exception {
    List<Future<?>> window = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      window.add(c.kv(member).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k/" + (i % 600)))
          .setValue(ByteString.copyFromUtf8(("v" + i + "-").repeat(400).substring(0, 1024))).build()));
      if (window.size() == 64) {
        for (Future<?> w : window) await(w);
        window.clear();
      }
    }
    for (Future<?> w : window) await(w);
  }

  private static boolean has(TestCluster c, int member, String key) {
    try {
      return serializable(c, member).getKvsList().stream().anyMatch(kv -> kv.getKey().toStringUtf8().equals(key));
    } catch (Exception e) {
      return false;
    }
  }

  private static RangeResponse serializable(TestCluster c, int member) throws Exception {
    return await(c.kv(member).range(RangeRequest.newBuilder().setKey(ALL).setRangeEnd(ALL).setKeysOnly(true)
        .setSerializable(true).build()));
  }

  /**
   * Waits until the follower is at the leader's revision, then compares every key (revisions, versions) and the
   * hash (values included) at that revision.
   */
  private static void awaitSame(TestCluster c, int leader, int follower) throws Exception {
    long rev = serializable(c, leader).getHeader().getRevision();
    Wait.until(Duration.ofSeconds(30), "the follower to reach revision " + rev,
        () -> serializable(c, follower).getHeader().getRevision(), r -> r >= rev);
    RangeRequest at = RangeRequest.newBuilder().setKey(ALL).setRangeEnd(ALL).setRevision(rev).setKeysOnly(true)
        .setSerializable(true).build();
    RangeResponse expected = await(c.kv(leader).range(at));
    RangeResponse actual = await(c.kv(follower).range(at));
    assertTrue(expected.getKvsCount() > 0);
    assertEquals(expected.getKvsList(), actual.getKvsList());
    HashKVRequest hashAt = HashKVRequest.newBuilder().setRevision(rev).build();
    assertEquals(await(c.maintenance(leader).hashKV(hashAt)).getHash(),
        await(c.maintenance(follower).hashKV(hashAt)).getHash());
  }
}
