package io.vkv.client;

import io.vkv.node.NodeConfig;
import io.vkv.node.VkvNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** One in-process vkv member on an ephemeral loopback port, in its own temp directory. */
final class NodeFixture implements AutoCloseable {
  final Path dir;
  final VkvNode node;

  NodeFixture() throws IOException {
    dir = Files.createTempDirectory("vkv-client-test");
    node = Await.result(VkvNode.start(NodeConfig.singleMember(dir, 0, 0)));
  }

  String endpoint() {
    return node.endpoints().split(",")[0];
  }

  @Override
  public void close() {
    try {
      Await.result(node.close());
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
