package io.vkv.node;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Starts and stops in-process nodes for tests, on ephemeral loopback ports. */
final class TestNodes {
  static VkvNode start(NodeConfig config) {
    try {
      return VkvNode.start(config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("node did not start", e);
    }
  }

  static VkvNode startSingle(Path dataDir) {
    return start(NodeConfig.singleMember(dataDir, 0, 0));
  }

  static void stop(VkvNode node) {
    if (node == null) return;
    try {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("node did not stop", e);
    }
  }

  private TestNodes() {}
}
