package io.vkv.client;

import static io.vkv.node.testing.Ports.freePort;

import io.vertx.core.Future;
import io.vkv.node.NodeConfig;
import io.vkv.node.VkvNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * In-process vkv members as a {@link TestCluster}, on free loopback ports picked up front (bind 0, release) so that a
 * stopped member comes back on the same endpoint, each in its own temp directory. Multi-member clusters use short
 * Raft timings (50 ms heartbeat, 500 ms election) as the node's own cluster tests do.
 */
final class VkvCluster implements TestCluster {
  private static final long HEARTBEAT_MS = 50;
  private static final long ELECTION_MS = 500;

  private final Path dir;
  private final List<NodeConfig> configs = new ArrayList<>();
  private final VkvNode[] nodes;
  private final List<String> endpoints = new ArrayList<>();

  VkvCluster(int members) {
    try {
      dir = Files.createTempDirectory("vkv-client-cluster");
      int[] clientPorts = new int[members];
      Map<String, List<URI>> cluster = new HashMap<>();
      List<URI> peers = new ArrayList<>();
      for (int i = 0; i < members; i++) {
        clientPorts[i] = freePort();
        URI peer = URI.create("http://127.0.0.1:" + freePort());
        peers.add(peer);
        cluster.put("m" + i, List.of(peer));
        endpoints.add("127.0.0.1:" + clientPorts[i]);
      }
      for (int i = 0; i < members; i++) {
        if (members == 1) {
          configs.add(NodeConfig.singleMember(dir.resolve("m0"), clientPorts[0], peers.get(0).getPort()));
        } else {
          URI client = URI.create("http://" + endpoints.get(i));
          configs.add(NodeConfig.builder().name("m" + i).dataDir(dir.resolve("m" + i)).listenClientUrls(List.of(client))
              .advertiseClientUrls(List.of(client)).listenPeerUrls(List.of(peers.get(i)))
              .initialAdvertisePeerUrls(List.of(peers.get(i))).initialCluster(cluster).initialClusterState("new")
              .initialClusterToken("vkv-client-test").heartbeatIntervalMs(HEARTBEAT_MS).electionTimeoutMs(ELECTION_MS)
              .logLevel("info").serverInstances(1).build());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    nodes = new VkvNode[members];
    // members start together: each needs the others to elect a leader
    List<Future<VkvNode>> starting = new ArrayList<>();
    for (NodeConfig c : configs) starting.add(VkvNode.start(c));
    try {
      for (int i = 0; i < members; i++) nodes[i] = get(starting.get(i));
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  private static VkvNode get(Future<VkvNode> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("vkv member did not start", e);
    }
  }

  @Override
  public List<String> endpoints() {
    return List.copyOf(endpoints);
  }

  /** In-process, a member stops (closing its connections) rather than dying. */
  @Override
  public void kill(int i) {
    VkvNode n = nodes[i];
    nodes[i] = null;
    if (n != null) Await.result(n.close());
  }

  @Override
  public void start(int i) {
    nodes[i] = get(VkvNode.start(configs.get(i)));
  }

  @Override
  public void close() {
    for (int i = 0; i < nodes.length; i++) {
      try {
        kill(i);
      } catch (RuntimeException | Error ignored) {
        // keep stopping the others
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
