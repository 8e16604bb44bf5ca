package io.vkv.node.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vkv.node.NodeConfig;
import io.vkv.node.VkvNode;
import io.vkv.node.testing.RealEtcd;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's error messages reach a non-Go gRPC client (Python's C-core grpcio, with the stubs of Debian's python3-etcd3)
 * exactly as etcd sends them: the grpc-message header is percent-encoded as the gRPC spec says.
 */
class PythonGrpcErrorsTest {
  static final List<String> EXPECTED = List.of(
      "NOT_FOUND|etcdserver: requested lease not found",
      "OUT_OF_RANGE|etcdserver: mvcc: required revision has been compacted",
      "OUT_OF_RANGE|etcdserver: mvcc: required revision is a future revision",
      "keepalive ttl>0");

  @TempDir Path dir;

  @Test
  void vkvErrorsReachPythonIntact() throws Exception {
    VkvNode node = VkvNode.start(NodeConfig.singleMember(dir.resolve("data"), 0, 0)).toCompletionStage()
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    try {
      assertEquals(EXPECTED, PythonClient.run("grpc_errors.py", node.endpoints()).assertOk().lines());
    } finally {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** The expectation is etcd's own answer. */
  @Test
  void etcdAnswersTheSame() {
    try (RealEtcd etcd = RealEtcd.start()) {
      assertEquals(EXPECTED, PythonClient.run("grpc_errors.py", etcd.endpoint()).assertOk().lines());
    }
  }
}
