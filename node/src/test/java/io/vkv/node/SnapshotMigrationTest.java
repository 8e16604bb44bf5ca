package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.RealEtcd;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One snapshot file moves a data set between vkv and real etcd 3.4 both ways: {@code etcdctl snapshot save} against
 * one, a restore (etcdctl's for etcd, vkv's for vkv), the other started on the restored data dir, and every key with
 * its revisions, the lease with its key, the user and the role are there.
 */
@Timeout(180)
class SnapshotMigrationTest {
  @TempDir
  Path dir;

  @Test
  void vkvToEtcd() throws Exception {
    Path file = dir.resolve("vkv.db");
    String keys;
    String authAndLeases;
    long revision;
    VkvNode node = TestNodes.startSingle(dir.resolve("vkv"));
    try {
      Etcdctl ctl = new Etcdctl(node.endpoints());
      SnapshotDataSet data = SnapshotDataSet.write(ctl);
      keys = SnapshotDataSet.keys(ctl);
      authAndLeases = data.authAndLeases(ctl);
      revision = SnapshotDataSet.revision(ctl);
      String saved = ctl.run("snapshot", "save", file.toString()).assertOk().out();
      assertTrue(saved.contains("Snapshot saved at " + file), saved);
      // etcdctl reads vkv's file: the revision and a key count
      String status = ctl.run("snapshot", "status", file.toString(), "-w", "json").assertOk().out();
      assertTrue(status.contains("\"revision\":" + revision + ","), status);
      assertEquals(status, vkvStatus(file, "json"), "vkv snapshot status prints what etcdctl prints");

      Path etcdHome = dir.resolve("etcd");
      ctl.run("snapshot", "restore", file.toString(), "--data-dir", etcdHome.resolve("etcd-data").toString(),
          "--name", "ref", "--initial-cluster", "ref=http://127.0.0.1:2380", "--initial-advertise-peer-urls",
          "http://127.0.0.1:2380", "--initial-cluster-token", "from-vkv").assertOk();
      TestNodes.stop(node);
      node = null;
      try (RealEtcd etcd = RealEtcd.start(etcdHome)) {
        Etcdctl onEtcd = new Etcdctl(etcd.endpoint());
        assertEquals(keys, SnapshotDataSet.keys(onEtcd));
        assertEquals(revision, SnapshotDataSet.revision(onEtcd));
        assertEquals(authAndLeases, data.authAndLeases(onEtcd));
      }
    } finally {
      TestNodes.stop(node);
    }
  }

  @Test
  void etcdToVkv() throws Exception {
    Path file = dir.resolve("etcd.db");
    String keys;
    String authAndLeases;
    long revision;
    SnapshotDataSet data;
    String clusterId;
    try (RealEtcd etcd = RealEtcd.start(Files.createDirectories(dir.resolve("etcd")))) {
      Etcdctl ctl = new Etcdctl(etcd.endpoint());
      data = SnapshotDataSet.write(ctl);
      keys = SnapshotDataSet.keys(ctl);
      authAndLeases = data.authAndLeases(ctl);
      revision = SnapshotDataSet.revision(ctl);
      clusterId = clusterId(ctl);
      ctl.run("snapshot", "save", file.toString()).assertOk();
      assertEquals(ctl.run("snapshot", "status", file.toString(), "-w", "table").assertOk().out(), vkvStatus(file, "table"));
    }
    // a cluster of three restored from the one file, with vkv's CLI and a new token: new member and cluster ids
    try (TestCluster cluster = TestCluster.start(dir.resolve("vkv"), (name, dataDir, initialCluster) -> {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Main.run(new String[] {"snapshot", "restore", file.toString(), "--data-dir", dataDir.toString(),
          "--name", name, "--initial-cluster", initialCluster, "--initial-cluster-token", "test-cluster",
          "--initial-advertise-peer-urls", initialCluster.replaceAll(".*" + name + "=([^,]+).*", "$1")},
          new PrintWriter(out), new PrintWriter(err));
      assertEquals(0, code, err.toString());
      assertTrue(Files.isDirectory(dataDir.resolve("member").resolve("store")));
    })) {
      for (int i = 0; i < TestCluster.SIZE; i++) {
        Etcdctl ctl = new Etcdctl(cluster.member(i).endpoints());
        assertEquals(keys, SnapshotDataSet.keys(ctl), "member " + i);
        assertEquals(revision, SnapshotDataSet.revision(ctl));
        assertEquals(authAndLeases, data.authAndLeases(ctl));
        assertNotEquals(clusterId, clusterId(ctl), "a restore starts a new cluster");
      }
      Etcdctl ctl = new Etcdctl(cluster.member(0).endpoints());
      ctl.run("put", "a", "after restore").assertOk();
      assertEquals(revision + 1, SnapshotDataSet.revision(ctl));
    }
  }

  private static String clusterId(Etcdctl ctl) {
    String out = ctl.run("get", "a", "-w", "json").assertOk().out();
    return out.replaceAll("(?s).*\"cluster_id\":(\\d+).*", "$1");
  }

  static String vkvStatus(Path file, String format) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"snapshot", "status", file.toString(), "-w", format}, new PrintWriter(out), new PrintWriter(err));
    assertEquals(0, code, err.toString());
    return out.toString();
  }

}
