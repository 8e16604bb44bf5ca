package io.vkv.node;

import static io.vkv.node.testing.Ports.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.WatchCreateRequest;
import io.vkv.api.etcdserverpb.WatchRequest;
import io.vkv.node.testing.Wait;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that opens 10,000 Watch streams on one connection and never reads a byte. Each stream may hold a few MiB
 * of events in the member (its own budget), so without a cap across streams the member's memory would have to grow
 * to tens of GiB while the watched keys change. With the cap (a share of the heap) the member, started with a
 * 512 MiB heap, keeps serving everyone else, loses nothing, and drops the watchers once the connection closes.
 */
@Timeout(300)
class UnreadStreamsTest {
  static final int STREAMS = 10_000;
  static final int PUTS = 120;
  static final int VALUE_BYTES = 64 * 1024;

  @TempDir Path dir;

  @Test
  void tenThousandStreamsThatNeverReadCostBoundedMemoryAndHoldUpNoOne() throws Exception {
    int port = freePort();
    Path log = dir.resolve("node.log");
    Vertx vertx = Vertx.vertx();
    Phases phases = new Phases();
    try (NodeProcess node = NodeProcess.startWithJvmOptions(List.of("-Xlog:gc"), dir.resolve("data"), log, port,
             freePort());
         Socket stalled = new Socket("127.0.0.1", port)) {
      phases.start("open " + STREAMS + " streams");
      openWatchStreamsAndNeverRead(stalled, "127.0.0.1:" + port);
      Wait.until(Duration.ofSeconds(60), () -> "the member to register " + STREAMS + " watchers, has " + watchers(port),
          () -> watchers(port) == STREAMS);

      // 120 puts of 64 KiB under the watched prefix: ~7.5 MiB for each of the 10,000 streams to take
      phases.start(PUTS + " puts");
      KVGrpcClient kv = KVGrpcClient.create(GrpcClient.client(vertx), SocketAddress.inetSocketAddress(port, "127.0.0.1"));
      ByteString value = ByteString.copyFrom(new byte[VALUE_BYTES]);
      long worstPutMillis = 0;
      for (int i = 0; i < PUTS; i++) {
        long started = System.nanoTime();
        await(kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("w/" + i)).setValue(value).build()));
        worstPutMillis = Math.max(worstPutMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      }
      // a reader unrelated to the stalled client is answered, and sees every write
      phases.start("count");
      long count = await(kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("w/"))
          .setRangeEnd(ByteString.copyFromUtf8("w0")).setCountOnly(true).build())).getCount();
      assertEquals(PUTS, count);
      assertTrue(worstPutMillis < 10_000, "a put took " + worstPutMillis + " ms while the streams stalled");

      assertTrue(node.isAlive(), "the member died");
      assertFalse(Files.readString(log).contains("OutOfMemoryError"), "the member ran out of memory");

      phases.start("close the connection");
      stalled.close();
      Wait.until(Duration.ofSeconds(60), () -> "the watchers to go with the connection, " + watchers(port) + " left",
          () -> watchers(port) == 0);
      await(kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("after")).setValue(value).build()));
      phases.start("done");
    } catch (Throwable t) {
      // the member's log (with its GC lines) goes with the failure: the temporary directory does not outlive it
      throw new AssertionError(t.getMessage() + "\nphases: " + phases + "\nlast lines of the member's log:\n"
          + tail(log, 60), t);
    } finally {
      vertx.close();
    }
  }

  /** How long each step took, for a failure's message. */
  private static final class Phases {
    private final StringBuilder done = new StringBuilder();
    private String current;
    private long since;

    void start(String name) {
      long now = System.nanoTime();
      if (current != null) {
        done.append(current).append(' ').append(TimeUnit.NANOSECONDS.toMillis(now - since)).append(" ms; ");
      }
      current = name;
      since = now;
    }

    @Override
    public String toString() {
      if (current == null) return done.toString();
      return done + current + " (running for " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since) + " ms)";
    }
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /**
   * HTTP/2 by hand, so that nothing on this side reads or acknowledges: the preface, empty settings, then for each
   * stream a HEADERS frame (HPACK literals, no Huffman) and a DATA frame with one WatchCreateRequest on prefix w/.
   */
  private static void openWatchStreamsAndNeverRead(Socket socket, String authority) throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    frame(out, 0x4, 0, 0, new byte[0]);
    byte[] headers = headerBlock(List.of(":method", "POST", ":scheme", "http", ":path", "/etcdserverpb.Watch/Watch",
        ":authority", authority, "content-type", "application/grpc", "te", "trailers"));
    byte[] request = WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8("w/")).setRangeEnd(ByteString.copyFromUtf8("w0"))).build().toByteArray();
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    message.write(0);
    message.write(new byte[] {0, 0, (byte) (request.length >> 8), (byte) request.length});
    message.write(request);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int i = 0; i < STREAMS; i++) {
      int stream = 2 * i + 1;
      frame(all, 0x1, 0x4, stream, headers); // END_HEADERS; the stream stays open
      frame(all, 0x0, 0, stream, message.toByteArray());
    }
    out.write(all.toByteArray());
    out.flush();
  }

  private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws Exception {
    out.write(new byte[] {(byte) (payload.length >> 16), (byte) (payload.length >> 8), (byte) payload.length,
        (byte) type, (byte) flags, (byte) (stream >> 24), (byte) (stream >> 16), (byte) (stream >> 8), (byte) stream});
    out.write(payload);
  }

  /** Each header as a literal without indexing, new name (RFC 7541 6.2.2); every string here is under 127 bytes. */
  private static byte[] headerBlock(List<String> nameValues) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < nameValues.size(); i += 2) {
      b.write(0);
      for (String s : List.of(nameValues.get(i), nameValues.get(i + 1))) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        b.write(bytes.length);
        b.write(bytes, 0, bytes.length);
      }
    }
    return b.toByteArray();
  }

  private static double watchers(int port) {
    return metric(port, "etcd_debugging_mvcc_watcher_total");
  }

  /** The sum of every sample of a metric at /metrics. */
  private static double metric(int port, String name) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      Matcher m = Pattern.compile("^" + name + " (\\S+)$", Pattern.MULTILINE).matcher(r.body());
      double sum = 0;
      boolean found = false;
      while (m.find()) {
        sum += Double.parseDouble(m.group(1));
        found = true;
      }
      if (!found) throw new AssertionError("no " + name + " at /metrics");
      return sum;
    } catch (java.io.IOException e) {
      return -1; // no answer in time: not yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within 30 s", e);
    }
  }
}
