package io.vkv.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.UnaryOperator;

/** In-process vkv members ({@link NodeFixture}) as a {@link TestCluster}; one member for now. */
final class VkvCluster implements TestCluster {
  private final NodeFixture node;
  private final String endpoint;

  VkvCluster(int members) {
    if (members != 1) throw new IllegalArgumentException("in-process vkv clusters of " + members + " members are not wired up yet");
    try {
      node = new NodeFixture(true, UnaryOperator.identity());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    endpoint = node.endpoint();
  }

  @Override
  public List<String> endpoints() {
    return List.of(endpoint);
  }

  /** In-process, the member stops (closing its connections) rather than dying. */
  @Override
  public void kill(int i) {
    node.stop();
  }

  @Override
  public void start(int i) {
    node.start();
  }

  @Override
  public void close() {
    node.close();
  }
}
