package io.vkv.node.clients;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python column of the client matrix: Debian's python3-etcd3 (0.12) runs {@code clients/matrix.py} (put, get,
 * prefix range, delete, txn, watch, lease keep-alive, lock, an error of each kind) against etcd 3.4 and vkv; both
 * transcripts must be {@code clients/matrix-python.expected}.
 */
class PythonClientMatrixTest {
  @TempDir Path dir;

  @Test
  void sameTranscriptAsEtcd() throws Exception {
    ClientMatrix.assertSameAsEtcd(dir, "matrix-python.expected", endpoint -> PythonClient.run("matrix.py", endpoint));
  }
}
