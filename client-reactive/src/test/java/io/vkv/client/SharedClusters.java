package io.vkv.client;

import java.util.EnumMap;
import java.util.Map;

/** One single-member cluster and client per server kind, started on first use, for tests that do not stop servers. */
final class SharedClusters implements AutoCloseable {
  private final Map<ServerKind, TestCluster> clusters = new EnumMap<>(ServerKind.class);
  private final Map<ServerKind, VkvClient> clients = new EnumMap<>(ServerKind.class);

  synchronized TestCluster cluster(ServerKind kind) {
    return clusters.computeIfAbsent(kind, k -> k.start(1));
  }

  synchronized VkvClient client(ServerKind kind) {
    return clients.computeIfAbsent(kind, k -> cluster(k).client());
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(c -> Await.result(c.close()));
    clients.clear();
    clusters.values().forEach(TestCluster::close);
    clusters.clear();
  }
}
