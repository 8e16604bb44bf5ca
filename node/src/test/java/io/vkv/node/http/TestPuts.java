package io.vkv.node.http;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vkv.api.etcdserverpb.AuthGrpcClient;
import io.vkv.api.etcdserverpb.AuthRoleAddRequest;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.node.VkvNode;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/** One put, one linearizable read (or one role added) over gRPC, on a Vert.x instance of its own. */
final class TestPuts {
  static void put(VkvNode node, String key, String value) throws Exception {
    call(node, (grpc, to) -> KVGrpcClient.create(grpc, to)
        .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).build()));
  }

  static void get(VkvNode node, String key) throws Exception {
    call(node, (grpc, to) -> KVGrpcClient.create(grpc, to).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build()));
  }

  static void addRole(VkvNode node, String role) throws Exception {
    call(node, (grpc, to) -> AuthGrpcClient.create(grpc, to).roleAdd(AuthRoleAddRequest.newBuilder().setName(role).build()));
  }

  private static void call(VkvNode node, BiFunction<GrpcClient, SocketAddress, Future<?>> request) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      URI u = node.clientUrls().get(0);
      request.apply(GrpcClient.client(vertx), SocketAddress.inetSocketAddress(u.getPort(), u.getHost()))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private TestPuts() {}
}
