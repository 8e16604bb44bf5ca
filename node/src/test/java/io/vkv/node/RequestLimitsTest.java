package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --max-request-bytes and --max-txn-ops, seen through the real etcdctl. */
class RequestLimitsTest {
  @TempDir static Path dir;
  static VkvNode node;
  static Etcdctl etcdctl;

  @BeforeAll
  static void start() {
    node = TestNodes.start(NodeConfig.singleMember(dir.resolve("data"), 0, 0).toBuilder()
        .maxRequestBytes(1024).maxTxnOps(2).quotaBackendBytes(64L << 20).build());
    etcdctl = new Etcdctl(node.endpoints());
  }

  @AfterAll
  static void stop() {
    TestNodes.stop(node);
  }

  @Test
  void requestLargerThanMaxRequestBytesIsRejectedAndNotStored() {
    byte[] big = new byte[2000];
    Arrays.fill(big, (byte) 'x');
    var r = etcdctl.runWithInput(big, "put", "big"); // etcdctl reads the value from stdin
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("Error: etcdserver: request is too large"), r.err());
    assertEquals("", etcdctl.run("get", "big").assertOk().out());

    byte[] fits = new byte[900];
    Arrays.fill(fits, (byte) 'y');
    etcdctl.runWithInput(fits, "put", "fits").assertOk();
    assertEquals("fits\n" + new String(fits) + "\n", etcdctl.run("get", "fits").assertOk().out());
  }

  @Test
  void txnWithMoreOpsThanMaxTxnOpsIsRejected() {
    // etcdctl's txn reads compares, then success ops, then failure ops, each list ended by an empty line
    var r = etcdctl.runWithInput("\nput o1 1\nput o2 2\nput o3 3\n\n\n".getBytes(), "txn");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("Error: etcdserver: too many operations in txn request"), r.err());
    assertEquals("", etcdctl.run("get", "o", "--prefix").assertOk().out());
    etcdctl.runWithInput("\nput o1 1\nput o2 2\n\n\n".getBytes(), "txn").assertOk();
    assertEquals("o1\n1\no2\n2\n", etcdctl.run("get", "o", "--prefix").assertOk().out());
  }
}
