package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.lease.LeaseSettings;
import io.vkv.node.testing.Wait;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Leases on three members with real etcdctl: a follower's keep-alive, and TTLs that survive a leader change. */
@Timeout(180)
class LeaseClusterTest {
  private static final Pattern GRANTED = Pattern.compile("lease ([0-9a-f]{16}) granted with TTL\\((\\d+)s\\)\\n");
  private static final Pattern REMAINING = Pattern.compile("lease [0-9a-f]{16} granted with TTL\\((\\d+)s\\), remaining\\((-?\\d+)s\\)\\n");
  /** Checkpoints every 300 ms so that the test need not wait etcd's 5 minutes. */
  static final LeaseSettings LEASES = new LeaseSettings(300, 1000);

  @TempDir Path dir;
  TestCluster cluster;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  static String grant(Etcdctl ctl, long ttl) {
    String out = ctl.run("lease", "grant", Long.toString(ttl)).assertOk().out();
    Matcher m = GRANTED.matcher(out);
    assertTrue(m.matches(), out);
    return m.group(1);
  }

  static long remaining(Etcdctl ctl, String id) {
    String out = ctl.run("lease", "timetolive", id).assertOk().out();
    Matcher m = REMAINING.matcher(out);
    assertTrue(m.matches(), out);
    return Long.parseLong(m.group(2));
  }

  private static final Pattern RAFT_INDEX = Pattern.compile("\"raftIndex\":(\\d+)");

  static long raftIndex(Etcdctl ctl) {
    String out = ctl.run("endpoint", "status", "-w", "json").assertOk().out();
    Matcher m = RAFT_INDEX.matcher(out);
    assertTrue(m.find(), out);
    return Long.parseLong(m.group(1));
  }

  @Test
  void everyLeaseCallWorksOnAFollower() throws Exception {
    cluster = TestCluster.start(dir, LEASES);
    int leader = cluster.awaitOneLeader(cluster.running(), 20 * TestCluster.ELECTION_MS);
    String followerEndpoint = cluster.member(cluster.others(leader).get(0)).endpoints();
    Etcdctl follower = new Etcdctl(followerEndpoint);
    String id = grant(follower, 2);
    follower.run("put", "--lease=" + id, "f/k", "v").assertOk();
    assertTrue(remaining(follower, id) <= 2);
    assertEquals("lease " + id + " keepalived with TTL(2)\n", follower.run("lease", "keep-alive", "--once", id).assertOk().out());
    ProcessBuilder pb = new ProcessBuilder(Etcdctl.binary(), "--endpoints=" + followerEndpoint,
        "lease", "keep-alive", id).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("ETCDCTL_API", "3");
    Process keepAlive = pb.start();
    try {
      // the key must stay for three TTLs
      Wait.throughout(Duration.ofSeconds(6), Duration.ofMillis(200), "kept alive through a follower",
          () -> assertEquals("f/k\nv\n", follower.run("get", "f/k").assertOk().out(), "kept alive through a follower"));
    } finally {
      keepAlive.destroy();
      keepAlive.waitFor(10, TimeUnit.SECONDS);
    }
    assertEquals("lease " + id + " revoked\n", follower.run("lease", "revoke", id).assertOk().out());
    assertEquals("", new Etcdctl(cluster.member(leader).endpoints()).run("get", "f/k").assertOk().out());
  }

  @Test
  void aLeaderChangeDoesNotResetTheRemainingTtl() throws Exception {
    cluster = TestCluster.start(dir, LEASES);
    int leader = cluster.awaitOneLeader(cluster.running(), 20 * TestCluster.ELECTION_MS);
    Etcdctl all = new Etcdctl(cluster.endpoints());
    String id = grant(all, 30);
    all.run("put", "--lease=" + id, "lc/k", "v").assertOk();
    long[] ttl = {0};
    Wait.until(Duration.ofSeconds(30), () -> "the lease to run down to 25 s, at " + ttl[0] + " s",
        () -> (ttl[0] = remaining(all, id)) <= 25);
    long left = ttl[0];
    // Nothing but the leader's lease checkpoints goes into the log of this idle cluster, so the commit index moving
    // on twice from here means a checkpoint taken after this reading (remaining TTL <= left) is committed.
    Etcdctl leaderCtl = new Etcdctl(cluster.member(leader).endpoints());
    long indexNow = raftIndex(leaderCtl);
    Wait.until(Duration.ofSeconds(10), "a lease checkpoint committed after the reading",
        () -> raftIndex(leaderCtl) >= indexNow + 2);
    cluster.stop(leader);
    VkvNode next = cluster.member(cluster.awaitOneLeader(cluster.running(), 20 * TestCluster.ELECTION_MS));
    long after = remaining(new Etcdctl(next.endpoints()), id);
    // at most: what it had, plus the checkpoint's rounding and age, plus the new leader's election-timeout grace
    assertTrue(after <= left + 2, "TTL was reset by the leader change: " + left + " s before, " + after + " s after");
    assertTrue(after > 0, "the lease expired: " + after);
    assertEquals("lc/k\nv\n", new Etcdctl(next.endpoints()).run("get", "lc/k").assertOk().out());
  }
}
