package io.vkv.client;


import io.vkv.node.VkvNode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every etcd client closes a watch stream by resetting the RPC. The node must notice the reset (Vert.x gRPC reports
 * it through the request's errorHandler, not as an exception), take the stream's watchers out of its hub, and still
 * stop cleanly.
 */
class WatchResetTest {
  @Test
  void nodeClosesAfterAClientResetAWatchStream() throws Exception {
    try (NodeFixture server = new NodeFixture()) {
      VkvClient client = VkvClient.create(new VkvClientOptions().addEndpoint(server.endpoint()));
      try {
        Watch w = client.watch().watch("reset/");
        Await.result(w.created());
        Await.result(w.cancel());
      } finally {
        Await.result(client.close());
      }
      VkvNode node = server.node;
      node.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
