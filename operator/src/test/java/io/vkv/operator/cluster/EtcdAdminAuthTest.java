package io.vkv.operator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.testing.Ports;
import io.vkv.node.testing.Wait;
import io.vkv.operator.backup.SnapshotTrailer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's admin connection against one real vkv member: auth seen off, enabled as etcdctl would, then seen on;
 * root-only calls (Snapshot) carry a token, and after the member restarts (simple tokens live in memory only) the
 * refused token is replaced without the caller noticing. A wrong password is an error, not "auth off".
 */
class EtcdAdminAuthTest {
  private static final Path VKV_JAR = Path.of(System.getProperty("vkv.jar", "../node/target/vkv.jar")).toAbsolutePath();

  @TempDir Path dir;
  private Process member;

  @AfterEach
  void stop() throws InterruptedException {
    if (member != null) {
      member.destroyForcibly();
      member.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void enablesAuthOnceAndRefreshesARefusedToken() throws Exception {
    assertTrue(Files.isRegularFile(VKV_JAR), "build node first: " + VKV_JAR);
    int client = Ports.freePort();
    int peer = Ports.freePort();
    String url = "http://127.0.0.1:" + client;
    String peerUrl = "http://127.0.0.1:" + peer;
    start(url, peerUrl);
    try (EtcdAdmin admin = new EtcdAdmin(new ClusterAccess(null, null, null, "root", "pw"));
        EtcdAdmin wrong = new EtcdAdmin(new ClusterAccess(null, null, null, "root", "not-it"))) {
      waitForLeader(admin, url);
      assertFalse(admin.authEnabled(url));
      admin.enableAuth(url);
      assertTrue(admin.authEnabled(url));
      int fetched = admin.authentications();
      admin.snapshot(url, dir.resolve("one.db"));
      SnapshotTrailer.verify(dir.resolve("one.db"));
      assertEquals(fetched, admin.authentications(), "the token from the auth check is used");
      IOException e = assertThrows(IOException.class, () -> wrong.authEnabled(url));
      assertTrue(e.getMessage().contains("authentication failed, invalid user ID or password"), e.getMessage());

      // a restart voids every simple token: the next root-only call is refused once, then sent with a new token
      member.destroy();
      assertTrue(member.waitFor(30, TimeUnit.SECONDS));
      start(url, peerUrl);
      waitForLeader(admin, url);
      admin.snapshot(url, dir.resolve("two.db"));
      SnapshotTrailer.verify(dir.resolve("two.db"));
      assertEquals(fetched + 1, admin.authentications(), "the refused token was replaced once");
      assertEquals(1, admin.memberList(url).size());
    }
  }

  private void start(String clientUrl, String peerUrl) throws IOException {
    member = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", VKV_JAR.toString(), "--name=a",
        "--data-dir=" + dir.resolve("a.vkv"), "--listen-client-urls=" + clientUrl, "--advertise-client-urls=" + clientUrl,
        "--listen-peer-urls=" + peerUrl, "--initial-advertise-peer-urls=" + peerUrl, "--initial-cluster=a=" + peerUrl,
        "--heartbeat-interval=50", "--election-timeout=500")
        .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("a.log").toFile())).start();
  }

  private static void waitForLeader(EtcdAdmin admin, String url) {
    Wait.until(Duration.ofSeconds(60), "the member to lead", () -> {
      try {
        return admin.status(url).getLeader() != 0;
      } catch (IOException e) {
        return false;
      }
    });
  }
}
