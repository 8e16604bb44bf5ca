package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance: the real etcdctl (v3) against an in-process one-member node on ephemeral ports. */
class EtcdctlKvTest {
  @TempDir static Path dir;
  static VkvNode node;
  static Etcdctl etcdctl;

  @BeforeAll
  static void start() {
    node = TestNodes.startSingle(dir.resolve("data"));
    etcdctl = new Etcdctl(node.endpoints());
  }

  @AfterAll
  static void stop() {
    TestNodes.stop(node);
  }

  static long putRevision(String key, String value) {
    var r = etcdctl.run("put", key, value, "-w", "json").assertOk();
    return new JsonObject(r.out()).getJsonObject("header").getLong("revision");
  }

  static JsonObject getJson(String... args) {
    String[] full = new String[args.length + 3];
    full[0] = "get";
    System.arraycopy(args, 0, full, 1, args.length);
    full[args.length + 1] = "-w";
    full[args.length + 2] = "json";
    return new JsonObject(etcdctl.run(full).assertOk().out());
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }

  @Test
  void putThenGet() {
    assertEquals("OK\n", etcdctl.run("put", "a", "1").assertOk().out());
    assertEquals("a\n1\n", etcdctl.run("get", "a").assertOk().out());
    assertEquals("", etcdctl.run("get", "missing").assertOk().out());
  }

  @Test
  void prefixRangeLimitSortAndKeysOnly() {
    for (String k : new String[] {"p/a", "p/b", "p/c"}) etcdctl.run("put", k, "v" + k.charAt(2)).assertOk();
    assertEquals("p/a\nva\np/b\nvb\np/c\nvc\n", etcdctl.run("get", "p/", "--prefix").assertOk().out());
    assertEquals("p/a\nva\np/b\nvb\n", etcdctl.run("get", "p/a", "p/c").assertOk().out());
    assertEquals("p/a\nva\np/b\nvb\n", etcdctl.run("get", "p/", "--prefix", "--limit=2").assertOk().out());
    assertEquals("p/c\nvc\np/b\nvb\np/a\nva\n",
        etcdctl.run("get", "p/", "--prefix", "--sort-by=MODIFY", "--order=DESCEND").assertOk().out());
    assertEquals("p/c\nvc\n",
        etcdctl.run("get", "p/", "--prefix", "--sort-by=VALUE", "--order=DESCEND", "--limit=1").assertOk().out());
    assertEquals("p/a\n\np/b\n\np/c\n\n", etcdctl.run("get", "p/", "--prefix", "--keys-only").assertOk().out());
    // "zz/" sorts after every other key these tests write, so --from-key sees exactly these two
    etcdctl.run("put", "zz/a", "1").assertOk();
    etcdctl.run("put", "zz/b", "2").assertOk();
    assertEquals("zz/a\n1\nzz/b\n2\n", etcdctl.run("get", "zz/a", "--from-key").assertOk().out());

    JsonObject limited = getJson("p/", "--prefix", "--limit=1");
    assertEquals(3, limited.getLong("count"));
    assertTrue(limited.getBoolean("more"));
    assertEquals(1, limited.getJsonArray("kvs").size());
  }

  @Test
  void getAtRevision() {
    long first = putRevision("r", "one");
    long second = putRevision("r", "two");
    assertEquals(first + 1, second);
    assertEquals("r\none\n", etcdctl.run("get", "r", "--rev=" + first).assertOk().out());
    assertEquals("r\ntwo\n", etcdctl.run("get", "r", "--rev=" + second).assertOk().out());
    assertEquals("", etcdctl.run("get", "r", "--rev=" + (first - 1)).assertOk().out());
    JsonObject kv = getJson("r").getJsonArray("kvs").getJsonObject(0);
    assertEquals(first, kv.getLong("create_revision"));
    assertEquals(second, kv.getLong("mod_revision"));
    assertEquals(2, kv.getLong("version"));
  }

  @Test
  void deletePrefixWithPrevKv() {
    etcdctl.run("put", "d/a", "1").assertOk();
    etcdctl.run("put", "d/b", "2").assertOk();
    assertEquals("2\nd/a\n1\nd/b\n2\n", etcdctl.run("del", "d/", "--prefix", "--prev-kv").assertOk().out());
    assertEquals("", etcdctl.run("get", "d/", "--prefix").assertOk().out());
    assertEquals("0\n", etcdctl.run("del", "d/a").assertOk().out());
  }

  static long raftIndex() {
    var r = etcdctl.run("endpoint", "status", "-w", "json").assertOk();
    return new io.vertx.core.json.JsonArray(r.out()).getJsonObject(0).getJsonObject("Status").getLong("raftIndex");
  }

  /** As etcd: a txn of ranges only is a read, answered without a log entry (the Raft index stays where it was). */
  @Test
  void aReadOnlyTxnIsAnsweredWithoutALogEntry() {
    long revision = putRevision("ro/a", "1");
    long before = raftIndex();
    String success = "value(\"ro/a\") = \"1\"\n\nget ro/a\n\nget ro/none\n\n";
    String failure = "value(\"ro/a\") = \"2\"\n\nget ro/a\n\nget ro/a --rev=" + revision + "\n\n";
    for (int i = 0; i < 5; i++) {
      var ok = etcdctl.runWithInput(success.getBytes(), "txn").assertOk();
      assertEquals("SUCCESS\n\nro/a\n1\n", ok.out());
      var failed = etcdctl.runWithInput(failure.getBytes(), "txn").assertOk();
      assertEquals("FAILURE\n\nro/a\n1\n", failed.out());
    }
    assertEquals(before, raftIndex(), "read-only txns made log entries");
    JsonObject txn = new JsonObject(etcdctl.runWithInput(success.getBytes(), "txn", "-w", "json").assertOk().out());
    assertEquals(revision, txn.getJsonObject("header").getLong("revision"));
  }

  @Test
  void interactiveTxnTakesTheBranchTheComparesChoose() {
    etcdctl.run("put", "t/flag", "on").assertOk();
    String success = "value(\"t/flag\") = \"on\"\n\nput t/res yes\n\nput t/res no\n\n";
    var r = etcdctl.runWithInput(success.getBytes(), "txn", "-i").assertOk();
    assertTrue(r.out().contains("SUCCESS"), r.out());
    assertEquals("t/res\nyes\n", etcdctl.run("get", "t/res").assertOk().out());

    String failure = "value(\"t/flag\") = \"off\"\n\nput t/res yes\n\nput t/res no\nget t/flag\n\n";
    r = etcdctl.runWithInput(failure.getBytes(), "txn").assertOk();
    assertTrue(r.out().startsWith("FAILURE"), r.out());
    assertTrue(r.out().contains("t/flag\non"), r.out());
    assertEquals("t/res\nno\n", etcdctl.run("get", "t/res").assertOk().out());

    String versionCompare = "version(\"t/none\") = \"0\"\nmod(\"t/flag\") > \"0\"\n\nput t/v created\n\n\n";
    assertTrue(etcdctl.runWithInput(versionCompare.getBytes(), "txn").assertOk().out().startsWith("SUCCESS"));
  }

  @Test
  void compactionThenReadBelowIt() {
    long before = putRevision("c/k", "old");
    long at = putRevision("c/k", "new");
    assertEquals("compacted revision " + at + "\n", etcdctl.run("compact", Long.toString(at)).assertOk().out());
    var r = etcdctl.run("get", "c/k", "--rev=" + before);
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("Error: etcdserver: mvcc: required revision has been compacted"), r.err());
    assertEquals("c/k\nnew\n", etcdctl.run("get", "c/k", "--rev=" + at).assertOk().out());
    var again = etcdctl.run("compact", Long.toString(before));
    assertTrue(again.err().contains("etcdserver: mvcc: required revision has been compacted"), again.err());
  }

  @Test
  void futureRevisionAndEmptyKeyAndDuplicateKeyAreRejected() {
    var future = etcdctl.run("get", "a", "--rev=100000");
    assertEquals(1, future.exitCode());
    assertTrue(future.err().contains("Error: etcdserver: mvcc: required revision is a future revision"), future.err());

    var empty = etcdctl.run("put", "", "v");
    assertEquals(1, empty.exitCode());
    assertTrue(empty.err().contains("Error: etcdserver: key is not provided"), empty.err());

    var dup = etcdctl.runWithInput("\n\nput q 1\nput q 2\n\n".getBytes(), "txn");
    assertEquals(1, dup.exitCode());
    assertTrue(dup.err().contains("Error: etcdserver: duplicate key given in txn request"), dup.err());
    assertEquals("", etcdctl.run("get", "q").assertOk().out());
  }

  @Test
  void endpointStatusReportsThisMemberAsLeader() {
    etcdctl.run("put", "s", "1").assertOk();
    JsonArray arr = new JsonArray(etcdctl.run("endpoint", "status", "-w", "json").assertOk().out());
    JsonObject status = arr.getJsonObject(0).getJsonObject("Status");
    assertEquals(status.getJsonObject("header").getLong("member_id"), status.getLong("leader"));
    assertNotEquals(0L, status.getLong("leader"));
    assertTrue(status.getLong("raftIndex") >= 1);
    assertTrue(status.getLong("raftAppliedIndex") >= 1);
    assertTrue(status.getLong("dbSize") > 0);
    assertEquals(VkvVersion.ETCD_COMPAT, status.getString("version"));
    var health = etcdctl.run("endpoint", "health").assertOk();
    assertTrue((health.out() + health.err()).contains("is healthy"), health.out() + health.err());
  }

  @Test
  void memberListShowsTheMemberWithItsUrls() {
    String out = etcdctl.run("member", "list").assertOk().out();
    assertTrue(out.contains(", started, default, http://127.0.0.1:"), out);
    assertTrue(out.contains(node.clientUrls().get(0).toString()), out);
  }

  @Test
  void noAlarmsListsNothing() {
    var r = etcdctl.run("alarm", "list");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("", r.out());
  }

  @Test
  void binaryKeysAndEmptyValues() {
    assertEquals("OK\n", etcdctl.run("put", "e", "").assertOk().out());
    assertEquals("e\n\n", etcdctl.run("get", "e").assertOk().out());
    JsonObject r = getJson("e");
    assertEquals(b64("e"), r.getJsonArray("kvs").getJsonObject(0).getString("key"));
    assertEquals(1, r.getLong("count"));
  }
}
