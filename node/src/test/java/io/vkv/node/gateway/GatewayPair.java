package io.vkv.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vkv.node.NodeConfig;
import io.vkv.node.VkvNode;
import io.vkv.node.testing.RealEtcd;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** A fresh vkv node and a fresh etcd 3.4, each sent the same gateway requests; their answers must agree. */
final class GatewayPair implements AutoCloseable {
  final VkvNode node;
  final RealEtcd etcd;
  final GatewayClient vkv;
  final GatewayClient ref;

  GatewayPair(Path dir) throws Exception {
    etcd = RealEtcd.start();
    try {
      node = VkvNode.start(NodeConfig.singleMember(dir.resolve("vkv"), 0, 0)).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception | Error e) {
      etcd.close();
      throw e;
    }
    vkv = new GatewayClient(node.endpoints());
    ref = new GatewayClient(etcd.endpoint());
  }

  /** Posts to both; asserts the normalized answers are equal; returns vkv's. */
  GatewayClient.Answer same(String path, String body, String... alsoVarying) throws Exception {
    return sameAs(null, null, path, body, alsoVarying);
  }

  /** As {@link #same}, each server sent its own token. */
  GatewayClient.Answer sameAs(String vkvToken, String etcdToken, String path, String body, String... alsoVarying)
      throws Exception {
    GatewayClient.Answer expected = ref.post(path, body, etcdToken);
    GatewayClient.Answer actual = vkv.post(path, body, vkvToken);
    Set<String> varying = Set.of(alsoVarying);
    assertEquals(expected.normalized(varying), actual.normalized(varying), "POST " + path + " " + body);
    return actual;
  }

  @Override
  public void close() throws Exception {
    vkv.close();
    ref.close();
    try {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      etcd.close();
    }
  }
}
