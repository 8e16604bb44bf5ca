package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.mvccpb.KeyValue;
import io.vkv.node.testing.RealEtcd;
import io.vkv.store.bbolt.BoltBucket;
import io.vkv.store.bbolt.BoltReader;
import io.vkv.store.bbolt.BoltWriter;
import io.vkv.store.etcdformat.RevisionKey;
import io.vkv.store.etcdformat.SnapshotStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bbolt reader and writer against real etcd 3.4 files: every bucket and key of a snapshot etcd wrote is read,
 * etcdctl's status figures are reproduced, and a file the writer rewrites from it is accepted by
 * {@code etcdctl snapshot status} and {@code restore}, and served by etcd.
 */
@Timeout(180)
class BoltEtcdFilesTest {
  @TempDir
  Path dir;

  @Test
  void readsEtcdsSnapshotAndWritesOneEtcdAccepts() throws Exception {
    Path file = dir.resolve("etcd.db");
    String keys;
    try (RealEtcd etcd = RealEtcd.start(java.nio.file.Files.createDirectories(dir.resolve("source")))) {
      Etcdctl ctl = new Etcdctl(etcd.endpoint());
      SnapshotDataSet.write(ctl);
      ctl.run("compact", "3").assertOk();
      keys = SnapshotDataSet.keys(ctl);
      ctl.run("snapshot", "save", file.toString()).assertOk();
    }
    Etcdctl offline = new Etcdctl("127.0.0.1:1");

    List<String> buckets = new ArrayList<>();
    List<RevisionKey> revisions = new ArrayList<>();
    try (BoltReader r = BoltReader.open(file)) {
      r.forEach(r.root(), (name, v, bucket) -> {
        assertTrue(bucket);
        buckets.add(new String(name, StandardCharsets.UTF_8));
      });
      r.forEach(r.bucket(r.root(), bytes("key")), (k, v, bucket) -> {
        RevisionKey rev = RevisionKey.decode(k);
        KeyValue kv = KeyValue.parseFrom(v);
        if (!rev.tombstone()) assertEquals(rev.main(), kv.getModRevision());
        revisions.add(rev);
      });
    }
    assertEquals(List.of("alarm", "auth", "authRoles", "authUsers", "cluster", "key", "lease", "members",
        "members_removed", "meta"), buckets);
    assertTrue(revisions.contains(new RevisionKey(6, 0, true)), "the delete of b is a tombstone: " + revisions);
    assertTrue(revisions.stream().anyMatch(r -> r.sub() == 99), "the txn's 100th put");
    assertEquals(json(SnapshotStatus.of(file)), offline.run("snapshot", "status", file.toString(), "-w", "json").assertOk().out());

    Path copy = dir.resolve("rewritten.db");
    rewrite(file, copy);
    String original = offline.run("snapshot", "status", file.toString(), "-w", "json").assertOk().out();
    String rewritten = offline.run("snapshot", "status", copy.toString(), "-w", "json").assertOk().out();
    assertEquals(original.replaceAll(",\"totalSize\":\\d+", ""), rewritten.replaceAll(",\"totalSize\":\\d+", ""),
        "same buckets, keys and values: same hash, revision and key count");

    Path home = dir.resolve("restored");
    offline.run("snapshot", "restore", copy.toString(), "--skip-hash-check", "--data-dir", home.resolve("etcd-data").toString(),
        "--name", "ref", "--initial-cluster", "ref=http://127.0.0.1:2380", "--initial-advertise-peer-urls", "http://127.0.0.1:2380")
        .assertOk();
    try (RealEtcd etcd = RealEtcd.start(home)) {
      assertEquals(keys, SnapshotDataSet.keys(new Etcdctl(etcd.endpoint())));
    }
  }

  /** Copies every bucket and key of {@code from} (one level of buckets, as etcd's files have) with the writer. */
  private static void rewrite(Path from, Path to) throws Exception {
    try (BoltReader r = BoltReader.open(from); BoltWriter w = BoltWriter.create(to)) {
      List<byte[]> names = new ArrayList<>();
      r.forEach(r.root(), (name, v, bucket) -> names.add(name));
      for (byte[] name : names) {
        w.beginBucket(name);
        BoltBucket b = r.bucket(r.root(), name);
        r.forEach(b, (k, v, nested) -> w.put(k, v));
        w.endBucket();
      }
      w.finish();
    }
  }

  private static String json(SnapshotStatus s) {
    return String.format("{\"hash\":%s,\"revision\":%d,\"totalKey\":%d,\"totalSize\":%d}%n",
        Integer.toUnsignedString(s.hash()), s.revision(), s.totalKeys(), s.totalSize());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
