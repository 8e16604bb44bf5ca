package io.vkv.node.clients;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vkv.node.NodeConfig;
import io.vkv.node.VkvNode;
import io.vkv.node.testing.RealEtcd;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Issue #17's client matrix: one client script run against a fresh etcd 3.4 (the reference) and a fresh in-process
 * vkv. etcd's transcript must be the expected one checked in next to the script (so the test cannot pass when both
 * servers fail the same way), and vkv's must be etcd's, line for line.
 */
final class ClientMatrix {
  private ClientMatrix() {}

  static List<String> expected(String resource) {
    try (InputStream in = ClientMatrix.class.getResourceAsStream("/clients/" + resource)) {
      if (in == null) throw new AssertionError("no test resource clients/" + resource);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Runs {@code client} (given host:port) against etcd, then vkv, each fresh, and compares as above. */
  static void assertSameAsEtcd(Path dir, String expectedResource, Function<String, ClientProcess.Result> client) throws Exception {
    List<String> expected = expected(expectedResource);
    ClientProcess.Result etcd;
    Files.createDirectories(dir.resolve("etcd"));
    try (RealEtcd server = RealEtcd.start(dir.resolve("etcd"))) {
      etcd = client.apply(server.endpoint());
    }
    ClientProcess.Result vkv;
    VkvNode node = VkvNode.start(NodeConfig.singleMember(dir.resolve("vkv-data"), 0, 0)).toCompletionStage()
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    try {
      vkv = client.apply(node.endpoints());
    } finally {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    assertAll(
        () -> assertEquals(text(expected), text(etcd.assertOk().lines()), "etcd 3.4's transcript is not the expected one"),
        () -> assertEquals(text(etcd.assertOk().lines()), text(vkv.assertOk().lines()), "vkv's transcript differs from etcd 3.4's"));
  }

  /** One line per line, so a failure shows a readable line diff. */
  private static String text(List<String> lines) {
    return String.join("\n", lines) + "\n";
  }
}
