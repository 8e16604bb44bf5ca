package io.vkv.node;

import static io.vkv.node.testing.Ports.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member whose disk refuses a write (here: the store file may not grow past a limit, which fails the write as a
 * full disk does). The write in flight is refused with a clear error, every later request is refused at once rather
 * than left to hang, /health says so, and nothing acknowledged is lost: restarted with room to write, the member has
 * every acknowledged key, replayed from its WAL.
 */
@Timeout(300)
class DiskFullTest {
  /** Above the WAL's 80 MiB cycle files, which are created at full size; the store file grows past it. */
  static final long FILE_SIZE_LIMIT = 100L << 20;
  static final int VALUE_BYTES = 1_000_000;
  static final String REFUSED = "Error: etcdserver: corrupt cluster";

  @TempDir Path dir;

  @Test
  void aRefusedDiskWriteStopsTheMemberCleanlyAndLosesNothing() throws Exception {
    int client = freePort();
    int peer = freePort();
    Path data = dir.resolve("data");
    List<String> acknowledged = new ArrayList<>();
    Etcdctl.Result refused = null;
    try (NodeProcess node = NodeProcess.startWithFileSizeLimit(FILE_SIZE_LIMIT, data, dir.resolve("limited.log"),
        client, peer)) {
      Etcdctl ctl = new Etcdctl(node.endpoint());
      for (int i = 0; i < 400 && refused == null; i++) {
        String key = "big/" + i;
        Etcdctl.Result r = ctl.runWithInput(value(i), "put", key);
        if (r.exitCode() == 0) acknowledged.add(key);
        else refused = r;
      }
      assertTrue(refused != null, "400 values of 1 MB never reached the " + FILE_SIZE_LIMIT + "-byte file limit");
      assertTrue(refused.err().contains(REFUSED), refused::toString);
      assertTrue(acknowledged.size() > 10, "acknowledged before the disk refused: " + acknowledged.size());

      // refused at once, not after the client's deadline: reads and writes that reach the failed member afterwards
      long started = System.nanoTime();
      assertTrue(ctl.run("get", "big/0").err().contains(REFUSED), "a linearizable read after the failure");
      assertTrue(ctl.run("put", "after", "x").err().contains(REFUSED), "a write after the failure");
      assertTrue(System.nanoTime() - started < Duration.ofSeconds(4).toNanos(),
          "two refused calls took " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://" + node.endpoint() + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(List.of(503, "{\"health\":\"false\"}"), List.of(health.statusCode(), health.body().trim()));
    }

    try (NodeProcess node = NodeProcess.start(data, dir.resolve("restarted.log"), client, peer)) {
      Etcdctl ctl = new Etcdctl(node.endpoint());
      for (String key : acknowledged) {
        int i = Integer.parseInt(key.substring("big/".length()));
        String got = ctl.run("get", "--print-value-only", key).assertOk().out();
        assertTrue(got.equals(new String(value(i), StandardCharsets.US_ASCII) + "\n"),
            () -> key + " lost or changed after the restart (" + got.length() + " chars)");
      }
    }
  }

  /** 1 MB of one letter that names the key, so a value read back under the wrong key shows. */
  private static byte[] value(int i) {
    byte[] v = new byte[VALUE_BYTES];
    Arrays.fill(v, (byte) ('a' + i % 26));
    return v;
  }
}
