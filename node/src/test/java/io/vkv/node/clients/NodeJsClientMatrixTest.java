package io.vkv.node.clients;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Node.js column of the client matrix: the npm etcd3 package (1.1.2, which bin/test installs outside the
 * repository, see {@link NodeJsClient}) runs {@code clients/matrix.js} (put, get, prefix range, delete, txn, watch,
 * lease keep-alive, lock, an error of each kind, etcd's messages mapped to the package's own error classes) against
 * etcd 3.4 and vkv; both transcripts must be {@code clients/matrix-node.expected}.
 */
class NodeJsClientMatrixTest {
  @TempDir Path dir;

  @Test
  void sameTranscriptAsEtcd() throws Exception {
    ClientMatrix.assertSameAsEtcd(dir, "matrix-node.expected", endpoint -> NodeJsClient.run("matrix.js", endpoint));
  }
}
