package io.vkv.client;

import static io.vkv.node.testing.Ports.freePort;

import io.vkv.node.NodeConfig;
import io.vkv.node.VkvNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** One in-process vkv member on loopback, in its own temp directory; stoppable and restartable on the same ports. */
final class NodeFixture implements AutoCloseable {
  final Path dir;
  private final NodeConfig config;
  volatile VkvNode node;

  /** Ephemeral ports, default settings. */
  NodeFixture() throws IOException {
    this(false, UnaryOperator.identity());
  }

  /**
   * @param fixedPorts pick free ports now (bind 0, release) so that a restart comes back on the same endpoint
   * @param tune adjusts the config, e.g. {@code c -> c.toBuilder().watchProgressNotifyIntervalMs(200).build()}
   */
  NodeFixture(boolean fixedPorts, UnaryOperator<NodeConfig> tune) throws IOException {
    dir = Files.createTempDirectory("vkv-client-test");
    config = tune.apply(NodeConfig.singleMember(dir, fixedPorts ? freePort() : 0, fixedPorts ? freePort() : 0));
    start();
  }

  void start() {
    node = Await.result(VkvNode.start(config));
  }

  void stop() {
    Await.result(node.close());
  }

  String endpoint() {
    return node.endpoints().split(",")[0];
  }

  /** Stops the node (if still running) and deletes its directory. */
  @Override
  public void close() {
    try {
      node.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("node close failed", e);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
