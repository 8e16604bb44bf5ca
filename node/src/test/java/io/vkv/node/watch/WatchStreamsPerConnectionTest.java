package io.vkv.node.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vkv.api.etcdserverpb.WatchGrpcClient;
import io.vkv.api.etcdserverpb.WatchResponse;
import io.vkv.node.NodeConfig;
import io.vkv.node.VkvNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd clients multiplex many watch streams over one connection (etcd allows 2^32-1 concurrent streams). HTTP/2
 * servers default to 100: stream 101 on the same connection would wait forever.
 */
class WatchStreamsPerConnectionTest {
  static final int STREAMS = 150;
  @TempDir Path dir;

  @Test
  void oneConnectionCarriesMoreThanAHundredWatchStreams() throws Exception {
    VkvNode node = VkvNode.start(NodeConfig.singleMember(dir, 0, 0))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    Vertx vertx = Vertx.vertx();
    try {
      URI u = URI.create("http://" + node.endpoints().split(",")[0]);
      // a pool of one HTTP/2 connection: every stream must share it
      HttpClient http = vertx.httpClientBuilder()
          .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false))
          .with(new PoolOptions().setHttp2MaxSize(1))
          .build();
      GrpcClient client = GrpcClient.client(vertx, http);
      WatchGrpcClient watch = WatchGrpcClient.create(client, SocketAddress.inetSocketAddress(u.getPort(), u.getHost()));
      List<WatchTestClient> streams = new ArrayList<>();
      for (int i = 0; i < STREAMS; i++) {
        streams.add(WatchTestClient.open(watch, WatchTestClient.createRequest(
            io.vkv.api.etcdserverpb.WatchCreateRequest.newBuilder()
                .setKey(com.google.protobuf.ByteString.copyFromUtf8("s/" + i))), false));
      }
      for (WatchTestClient s : streams) {
        WatchResponse created = s.next();
        assertTrue(created.getCreated() && !created.getCanceled(), created.toString());
      }
      assertEquals(STREAMS, streams.size());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
