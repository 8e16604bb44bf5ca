package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data the snapshot tests move between vkv and etcd, written and checked with the real etcdctl: several revisions
 * of a key, a delete, a lease with a key attached, a value larger than a bbolt page, and a user with a role (auth off).
 */
final class SnapshotDataSet {
  private static final Pattern GRANTED = Pattern.compile("lease ([0-9a-f]+) granted with TTL\\(300s\\)\\n");

  /** The lease's id in hex, as etcdctl prints it. */
  final String lease;

  private SnapshotDataSet(String lease) {
    this.lease = lease;
  }

  static SnapshotDataSet write(Etcdctl ctl) {
    for (int i = 0; i < 3; i++) ctl.run("put", "a", "a" + i).assertOk();
    ctl.run("put", "b", "gone soon").assertOk();
    ctl.run("del", "b").assertOk();
    Matcher m = GRANTED.matcher(ctl.run("lease", "grant", "300").assertOk().out());
    assertTrue(m.matches());
    ctl.run("put", "--lease=" + m.group(1), "leased", "with lease").assertOk();
    ctl.run("put", "big", "v".repeat(20_000)).assertOk();
    // 100 puts in one txn: one revision with 100 sub-revisions, and a key bucket of several pages
    StringBuilder txn = new StringBuilder("\n");
    for (int i = 0; i < 100; i++) txn.append(String.format("put many/%03d value-%d%n", i, i));
    ctl.runWithInput(txn.append("\n\n").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), "txn").assertOk();
    ctl.run("user", "add", "alice:secret").assertOk();
    ctl.run("role", "add", "reader").assertOk();
    ctl.run("role", "grant-permission", "reader", "read", "foo", "fop").assertOk();
    ctl.run("user", "grant-role", "alice", "reader").assertOk();
    return new SnapshotDataSet(m.group(1));
  }

  /** Every key with its revisions and lease, as {@code get --prefix -w json} prints them (header left out). */
  static String keys(Etcdctl ctl) {
    String out = ctl.run("get", "", "--prefix", "-w", "json").assertOk().out();
    return out.substring(out.indexOf("\"kvs\""));
  }

  static long revision(Etcdctl ctl) {
    Matcher m = Pattern.compile("\"revision\":(\\d+)").matcher(ctl.run("get", "a", "-w", "json").assertOk().out());
    assertTrue(m.find());
    return Long.parseLong(m.group(1));
  }

  /** What must be the same on both sides: auth as etcdctl prints it, and the lease with its key. */
  String authAndLeases(Etcdctl ctl) {
    String ttl = ctl.run("lease", "timetolive", lease, "--keys").assertOk().out();
    // the remaining TTL moves; the grant and the attached keys must not
    ttl = ttl.replaceAll("remaining\\(\\d+s\\)", "remaining(?)");
    return String.join("\n--\n", ctl.run("lease", "list").assertOk().out(), ttl,
        ctl.run("user", "list").assertOk().out(), ctl.run("user", "get", "alice").assertOk().out(),
        ctl.run("role", "list").assertOk().out(), ctl.run("role", "get", "reader").assertOk().out());
  }
}
