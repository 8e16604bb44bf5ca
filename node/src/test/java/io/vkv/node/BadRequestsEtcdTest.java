package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.node.wire.GrpcMessageHeader;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vkv.node.testing.RealEtcd;
import io.vkv.node.testing.Wait;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Request messages that do not decode, and calls to methods or services that do not exist, sent as raw gRPC frames
 * to real etcd 3.4.23 (where the expected answers were recorded) and to vkv: the same code and text from both, and
 * the member then serves a normal request on the same HTTP/2 connection.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(BadRequestsEtcdTest.Kind.class)
@Timeout(60)
class BadRequestsEtcdTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);
  private static final String UNARY = "INTERNAL|grpc: error unmarshalling request: ";
  private static final String STREAM = "INTERNAL|grpc: failed to unmarshal the received message ";
  /** A Range for key "a", and a Watch create for it. */
  private static final String RANGE_A = "0a0161";
  private static final String WATCH_A = "0a030a0161";

  enum Kind { ETCD, VKV }

  @Parameter Kind kind;
  @TempDir Path dir;

  private AutoCloseable server;
  private SocketAddress address;
  private final Vertx vertx = Vertx.vertx();
  private GrpcClient client;
  private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start() {
    String endpoint;
    if (kind == Kind.ETCD) {
      RealEtcd etcd = RealEtcd.start(dir);
      server = etcd;
      endpoint = etcd.endpoint();
    } else {
      VkvNode node = TestNodes.startSingle(dir.resolve("vkv"));
      server = () -> TestNodes.stop(node);
      endpoint = node.endpoints();
    }
    String[] hostPort = endpoint.replaceFirst("^http://", "").split(":");
    address = SocketAddress.inetSocketAddress(Integer.parseInt(hostPort[1]), hostPort[0]);
    client = GrpcClient.client(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    try {
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      if (server != null) server.close();
    }
  }

  @Test
  void unaryMessagesThatDoNotDecode() {
    assertEquals(List.of(
        UNARY + "unexpected EOF",
        UNARY + "proto: wrong wireType = 2 for field Limit",
        UNARY + "proto: RangeRequest: illegal tag 0 (wire type 0)",
        UNARY + "proto: integer overflow",
        UNARY + "proto: Compare: illegal tag 0 (wire type 0)",
        UNARY + "proto: illegal wireType 7",
        UNARY + "proto: negative length found during unmarshaling"), List.of(
        unary("etcdserverpb.KV/Range", "0a056162"), // the key's length runs past the end
        unary("etcdserverpb.KV/Range", "1a0161"), // limit sent as bytes
        unary("etcdserverpb.KV/Range", "00"),
        unary("etcdserverpb.KV/Range", "0a8080808080808080808001"),
        unary("etcdserverpb.KV/Txn", "0a020000"), // inside the first compare
        unary("etcdserverpb.KV/Range", "a706"), // an unknown field with no wire type
        unary("etcdserverpb.KV/Range", "0affffffffffffffffff01")));
    assertServesOnTheSameConnection();
  }

  @Test
  void streamMessagesThatDoNotDecode() {
    // as the first message, and after a watch was created on the stream
    assertEquals(List.of(0, STREAM + "unexpected EOF"), bidi("etcdserverpb.Watch/Watch", "0a020a"));
    assertEquals(List.of(1, STREAM + "proto: wrong wireType = 0 for field CreateRequest"),
        bidi("etcdserverpb.Watch/Watch", WATCH_A, "08"));
    // the ended stream's watch is dropped
    Wait.until(LIMIT, "no watcher left", () -> watchers() == 0);
    assertEquals(List.of(1, STREAM + "proto: wrong wireType = 2 for field ID"),
        bidi("etcdserverpb.Lease/LeaseKeepAlive", "0801", "0a"));
    // a server stream's single request is read as a stream's
    assertEquals(List.of(0, STREAM + "unexpected EOF"), call("etcdserverpb.Maintenance/Snapshot", false, "08"));
    assertServesOnTheSameConnection();
  }

  /** etcd installs no decompressor. */
  @Test
  void compressedCallsAreRefused() {
    String refused = "UNIMPLEMENTED|grpc: Decompressor is not installed for grpc-encoding \"gzip\"";
    assertEquals(List.of(refused, refused), List.of(encodedCall("etcdserverpb.KV/Range", false, "gzip", RANGE_A).get(1),
        encodedCall("etcdserverpb.Watch/Watch", true, "gzip", WATCH_A).get(1)));
    assertServesOnTheSameConnection();
  }

  @Test
  void unknownMethodsAndServices() {
    assertEquals(List.of(
        "UNIMPLEMENTED|unknown method Nope for service etcdserverpb.KV",
        "UNIMPLEMENTED|unknown method Nope for service etcdserverpb.Watch",
        "UNIMPLEMENTED|unknown service etcdserverpb.Nope",
        "RESOURCE_EXHAUSTED|malformed method name: \"/nope\""), List.of(
        unary("etcdserverpb.KV/Nope", ""),
        bidi("etcdserverpb.Watch/Nope", WATCH_A).get(1),
        unary("etcdserverpb.Nope/Range", ""),
        rawPath("/nope")));
    assertServesOnTheSameConnection();
  }

  /** etcd_debugging_mvcc_watcher_total, which both expose at /metrics. */
  private double watchers() throws Exception {
    HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + address.host() + ":" + address.port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("^etcd_debugging_mvcc_watcher_total (\\S+)$", Pattern.MULTILINE).matcher(metrics.body());
    if (!m.find()) throw new AssertionError("no watcher count in " + metrics.body());
    return Double.parseDouble(m.group(1));
  }

  private void assertServesOnTheSameConnection() {
    assertEquals("OK", call("etcdserverpb.KV/Range", false, RANGE_A).get(1));
    assertEquals(1, connections.size(), "every call went over one connection: " + connections);
  }

  /** One call with one request message; its status as CODE|text. */
  private String unary(String method, String hex) {
    return (String) call(method, false, hex).get(1);
  }

  private List<Object> bidi(String method, String... messages) {
    return call(method, true, messages);
  }

  /**
   * A call that sends these messages, each once the answers to the ones before arrived; a bidi stream's side stays
   * open (as a watch's does), other calls end theirs with their one request. Answers how many messages came back,
   * and the status as CODE|text.
   */
  private List<Object> call(String method, boolean bidi, String... messages) {
    return encodedCall(method, bidi, "identity", messages);
  }

  private List<Object> encodedCall(String method, boolean bidi, String encoding, String... messages) {
    List<Buffer> received = new CopyOnWriteArrayList<>();
    CompletableFuture<String> status = new CompletableFuture<>();
    GrpcClientRequest<Buffer, Buffer> call = get(client.request(address)
        .map(c -> c.fullMethodName(method).encoding(encoding)), method);
    call.exceptionHandler(status::completeExceptionally);
    call.response().onComplete(ar -> {
      if (ar.failed()) {
        status.completeExceptionally(ar.cause());
        return;
      }
      var response = ar.result();
      response.handler(received::add);
      response.errorHandler(e -> status.complete("ERROR|" + e));
      response.end().onComplete(done -> {
        // a stream that sent messages has its status in the trailers, where Vert.x does not read the text from
        String text = response.statusMessage() != null ? response.statusMessage()
            : GrpcMessageHeader.decode(String.valueOf(response.trailers().get(GrpcMessageHeader.NAME)));
        status.complete(response.status() == GrpcStatus.OK ? "OK" : response.status().name() + "|" + text);
      });
    });
    for (int i = 0; i < messages.length; i++) {
      Buffer frame = Buffer.buffer(HexFormat.of().parseHex(messages[i]));
      if (bidi) call.write(frame);
      else call.end(frame);
      int answered = i;
      if (i < messages.length - 1) {
        Wait.until(LIMIT, method + " to answer message " + i, () -> received.size() > answered);
      }
    }
    connections.add(call.connection());
    try {
      return List.of(received.size(), status.get(LIMIT.toSeconds(), TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new AssertionError(method + " got no status", e);
    }
  }

  /**
   * A request to a path the gRPC client refuses to send (no service part): over a plain HTTP/2 connection, with an
   * empty gRPC message; its status as CODE|text, from the headers (a trailers-only answer) or the trailers.
   */
  private String rawPath(String path) {
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    try {
      HttpClientResponse response = get(http.request(HttpMethod.POST, address.port(), address.host(), path)
          .compose(req -> req.putHeader("content-type", "application/grpc").putHeader("te", "trailers")
              .send(Buffer.buffer(new byte[5])).compose(r -> r.body().map(body -> r))), path);
      MultiMap fields = response.headers().contains("grpc-status") ? response.headers() : response.trailers();
      return GrpcStatus.valueOf(Integer.parseInt(fields.get("grpc-status"))).name() + "|"
          + GrpcMessageHeader.decode(fields.get(GrpcMessageHeader.NAME));
    } finally {
      get(http.close(), "closing");
    }
  }

  private static <T> T get(Future<T> f, String what) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(LIMIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(what, e);
    }
  }
}
