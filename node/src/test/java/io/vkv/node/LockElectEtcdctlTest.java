package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.lease.LeaseSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code etcdctl lock} and {@code etcdctl elect} (etcd's concurrency recipes: a session lease kept alive,
 * txns and watches) against three members, each client talking to a different member.
 */
@Timeout(120)
class LockElectEtcdctlTest {
  @TempDir static Path dir;
  static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, LeaseSettings.DEFAULT);
    cluster.awaitLeader();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  static String endpoint(int i) {
    return cluster.nodes.get(i).endpoints();
  }

  @Test
  void lockRunsACommandAndASecondHolderWaitsForTheFirst() throws Exception {
    assertEquals("hi\n", new Etcdctl(endpoint(0)).run("lock", "ctl-lock", "echo", "hi").assertOk().out());
    try (BackgroundEtcdctl first = new BackgroundEtcdctl(endpoint(1), "lock", "ctl-lock")) {
      String held = first.nextLine(15_000);
      assertTrue(held != null && held.startsWith("ctl-lock/"), "first holder: " + held);
      try (BackgroundEtcdctl second = new BackgroundEtcdctl(endpoint(2), "lock", "ctl-lock", "echo", "second")) {
        assertEquals(null, second.nextLine(2_000), "the second got the lock while the first held it");
        assertTrue(second.isAlive());
        first.close(); // releases the lock
        assertEquals("second", second.nextLine(15_000));
        assertEquals(0, second.waitFor(15_000));
      }
    }
  }

  @Test
  void electAndObserveTheLeader() throws Exception {
    try (BackgroundEtcdctl alice = new BackgroundEtcdctl(endpoint(0), "elect", "ctl-elect", "alice")) {
      String key = alice.nextLine(15_000);
      assertTrue(key != null && key.startsWith("ctl-elect/"), "alice: " + key);
      assertEquals("alice", alice.nextLine(5_000));
      try (BackgroundEtcdctl observer = new BackgroundEtcdctl(endpoint(1), "elect", "-l", "ctl-elect");
           BackgroundEtcdctl bob = new BackgroundEtcdctl(endpoint(2), "elect", "ctl-elect", "bob")) {
        assertEquals(key, observer.nextLine(15_000));
        assertEquals("alice", observer.nextLine(5_000));
        assertEquals(null, bob.nextLine(2_000), "bob was elected while alice leads");
        alice.close(); // resigns
        String bobKey = bob.nextLine(15_000);
        assertTrue(bobKey != null && bobKey.startsWith("ctl-elect/") && !bobKey.equals(key), "bob: " + bobKey);
        assertEquals("bob", bob.nextLine(5_000));
        assertEquals(bobKey, observer.nextLine(15_000));
        assertEquals("bob", observer.nextLine(5_000));
      }
    }
  }
}
