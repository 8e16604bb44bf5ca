package io.vkv.node.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vkv.api.etcdserverpb.LeaseRevokeRequest;
import io.vkv.node.NodeConfig;
import io.vkv.node.VkvNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grpc-message header byte for byte, read with a plain HTTP/2 client (no gRPC library to decode it): printable
 * ASCII as is, as etcd's Go server sends it. Clients that decode only what the spec asks (grpc-js uses decodeURI,
 * which leaves %3A alone) then show etcd's message unchanged.
 */
class GrpcMessageWireTest {
  @TempDir Path dir;

  @Test
  void leaseNotFoundTravelsUnescaped() throws Exception {
    VkvNode node = VkvNode.start(NodeConfig.singleMember(dir.resolve("data"), 0, 0)).toCompletionStage()
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    Vertx vertx = Vertx.vertx();
    // Once (CI, 2026-12-08) no answer came within 15 s while the member logged nothing: the steps reached are
    // recorded so that a recurrence says whether the connection, the request or the answer stalled.
    Exchange exchange = new Exchange();
    try {
      HttpClient client = vertx.httpClientBuilder()
          .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false))
          .withConnectHandler(c -> exchange.step("connected " + c.localAddress() + " -> " + c.remoteAddress()))
          .build();
      URI url = node.clientUrls().get(0);
      byte[] message = LeaseRevokeRequest.newBuilder().setID(0x7eadbeefL).build().toByteArray();
      Buffer frame = Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
      exchange.step("requesting " + url);
      HttpClientResponse response = exchange.await(client.request(HttpMethod.POST, url.getPort(), url.getHost(),
              "/etcdserverpb.Lease/LeaseRevoke")
          .compose(req -> {
            exchange.step("stream opened");
            return req.putHeader("content-type", "application/grpc").putHeader("te", "trailers").send(frame);
          })
          .compose(r -> {
            exchange.step("response headers, status " + r.statusCode());
            return r.body().map(b -> {
              exchange.step("response ended, " + b.length() + " body bytes");
              return r;
            });
          })
          .toCompletionStage().toCompletableFuture());
      String header = response.headers().get("grpc-message");
      if (header == null) header = response.trailers().get("grpc-message");
      assertEquals("etcdserver: requested lease not found", header);
      assertEquals("5", response.headers().contains("grpc-status") ? response.headers().get("grpc-status")
          : response.trailers().get("grpc-status"));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** The steps of one HTTP/2 exchange, with their times, reported if the answer does not come. */
  private static final class Exchange {
    private final long start = System.nanoTime();
    private final List<String> steps = new CopyOnWriteArrayList<>();

    void step(String what) {
      steps.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + what);
    }

    <T> T await(CompletableFuture<T> answer) throws Exception {
      try {
        return answer.get(15, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("no answer within 15 s; steps reached: " + steps, e);
      }
    }
  }
}
