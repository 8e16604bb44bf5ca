package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vkv.api.etcdserverpb.LeaseGrantRequest;
import io.vkv.api.etcdserverpb.LeaseGrpcClient;
import io.vkv.api.etcdserverpb.LeaseKeepAliveRequest;
import io.vkv.api.etcdserverpb.LeaseKeepAliveResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that sends its keep-alives and closes its side of the stream at once (python-etcd3's {@code refresh},
 * {@code etcdctl lease keep-alive --once}) gets every answer before the stream ends. A renewal waits for a ReadIndex
 * round, so the client's end arrives first; the stream used to end then and the answer was lost.
 */
class LeaseKeepAliveHalfCloseTest {
  @TempDir Path dir;

  @Test
  void everyKeepAliveIsAnsweredBeforeTheStreamEnds() throws Exception {
    VkvNode node = TestNodes.startSingle(dir.resolve("vkv"));
    Vertx vertx = Vertx.vertx();
    try {
      String[] hostPort = node.endpoints().replaceFirst("^http://", "").split(":");
      LeaseGrpcClient lease = LeaseGrpcClient.create(GrpcClient.client(vertx),
          SocketAddress.inetSocketAddress(Integer.parseInt(hostPort[1]), hostPort[0]));
      long id = lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(30).build())
          .await(10, TimeUnit.SECONDS).getID();
      for (int round = 0; round < 20; round++) {
        List<LeaseKeepAliveResponse> answers = new CopyOnWriteArrayList<>();
        Promise<Void> ended = Promise.promise();
        lease.leaseKeepAlive((requests, err) -> {
          if (err != null) return;
          requests.write(LeaseKeepAliveRequest.newBuilder().setID(id).build());
          requests.write(LeaseKeepAliveRequest.newBuilder().setID(id).build());
          requests.end();
        }).onSuccess(responses -> {
          responses.handler(answers::add);
          responses.exceptionHandler(ended::tryFail);
          responses.endHandler(v -> ended.tryComplete());
        }).onFailure(ended::tryFail);
        ended.future().await(10, TimeUnit.SECONDS);
        assertEquals(2, answers.size(), "round " + round + ": answers before the end: " + answers);
        for (LeaseKeepAliveResponse a : answers) {
          assertEquals(id, a.getID());
          assertEquals(30, a.getTTL());
        }
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      TestNodes.stop(node);
    }
  }
}
