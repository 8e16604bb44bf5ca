package io.vkv.node.auth;

import io.vertx.core.Future;
import io.vkv.node.NodeConfig;
import io.vkv.node.VkvNode;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A one-member vkv node in this JVM on ephemeral loopback ports. */
final class InProcessVkv implements ServerUnderTest {
  private final VkvNode node;

  private InProcessVkv(VkvNode node) {
    this.node = node;
  }

  static InProcessVkv start(Path dir) {
    return new InProcessVkv(await(VkvNode.start(NodeConfig.singleMember(dir.resolve("vkv-data"), 0, 0)), "start"));
  }

  @Override
  public String endpoints() {
    return node.endpoints();
  }

  @Override
  public void close() {
    await(node.close(), "stop");
  }

  private static <T> T await(Future<T> f, String what) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("vkv node did not " + what + " within 30 s", e);
    }
  }
}
