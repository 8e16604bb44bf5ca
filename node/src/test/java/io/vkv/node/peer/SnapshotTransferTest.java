package io.vkv.node.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vkv.api.internal.PeerFrame;
import io.vkv.api.internal.RaftMessage;
import io.vkv.api.internal.RaftSnapshot;
import io.vkv.api.internal.SnapshotAck;
import io.vkv.api.internal.SnapshotChunk;
import io.vkv.node.testing.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chunked snapshot stream over the peer port: complete copies arrive intact; torn or corrupt ones never do. */
class SnapshotTransferTest {
  @TempDir Path tmp;
  Vertx vertx;
  ExecutorService io;
  NetClient client;
  PeerServer server;
  int port;
  Path dir;
  final List<Path> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    io = Executors.newSingleThreadExecutor();
    client = vertx.createNetClient();
    dir = tmp.resolve("snap");
    SnapshotReceiver receiver = new SnapshotReceiver(vertx, dir, io, (m, copy) -> received.add(copy));
    server = new PeerServer(vertx, (socket, payload) -> {
      try {
        receiver.onChunk(socket, PeerFrame.parseFrom(payload.getBytes()).getSnapshotChunk());
      } catch (Exception e) {
        socket.close();
      }
    });
    port = server.listen("127.0.0.1", 0, null).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    io.shutdownNow();
  }

  private static RaftMessage snap(long index) {
    return RaftMessage.newBuilder().setType(7).setFrom(1).setTo(2)
        .setSnapshot(RaftSnapshot.newBuilder().setIndex(index).setTerm(3)).build();
  }

  private CompletableFuture<Void> send(long index, Path file) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Context ctx = vertx.getOrCreateContext();
    ctx.runOnContext(v -> SnapshotSender.send(vertx, client, "127.0.0.1", port, io, 1, snap(index), file, 10_000)
        .onComplete(ar -> {
          if (ar.succeeded()) done.complete(null);
          else done.completeExceptionally(ar.cause());
        }));
    return done;
  }

  private Path file(int size) throws Exception {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    Path f = tmp.resolve("source-" + size);
    Files.write(f, data);
    return f;
  }

  @Test
  void aMultiChunkSnapshotArrivesIntact() throws Exception {
    Path source = file(5 * SnapshotSender.CHUNK_BYTES / 2);
    send(42, source).get(30, TimeUnit.SECONDS);
    assertEquals(List.of(SnapshotReceiver.receivedDir(dir, 42)), received);
    assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(received.get(0).resolve("data.mdb")));
    assertEquals(List.of(received.get(0).resolve("data.mdb")), leftovers()); // no temporary file left
  }

  @Test
  void aCorruptSnapshotIsRefusedAndLeavesNothing() throws Exception {
    byte[] data = "not what was checksummed".getBytes();
    CRC32C crc = new CRC32C();
    crc.update(data);
    data[3] ^= 1; // flipped on the way
    SnapshotAck ack = rawTransfer(
        List.of(chunk(0, data, true, data.length, (int) crc.getValue()).setMessage(snap(9))), true);
    assertFalse(ack.getOk());
    assertTrue(ack.getError().contains("checksum"), ack.getError());
    awaitNoLeftovers();
    assertEquals(List.of(), received);
  }

  @Test
  void aTornTransferLeavesNothingAndARetrySucceeds() throws Exception {
    byte[] half = new byte[1000];
    rawTransfer(List.of(chunk(0, half, false, 0, 0).setMessage(snap(7))), false); // the sender dies mid-way
    awaitNoLeftovers();
    assertEquals(List.of(), received);

    Path source = file(3000);
    send(7, source).get(30, TimeUnit.SECONDS);
    assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(received.get(0).resolve("data.mdb")));
  }

  @Test
  void aGapInTheOffsetsIsRefused() throws Exception {
    byte[] part = new byte[10];
    SnapshotAck ack = rawTransfer(List.of(chunk(0, part, false, 0, 0).setMessage(snap(5)),
        chunk(20, part, true, 30, 0)), true);
    assertFalse(ack.getOk());
    awaitNoLeftovers();
    assertEquals(List.of(), received);
  }

  private static SnapshotChunk.Builder chunk(long offset, byte[] data, boolean last, long total, int crc) {
    return SnapshotChunk.newBuilder().setOffset(offset).setData(ByteString.copyFrom(data)).setLast(last)
        .setTotalBytes(total).setCrc32C(crc);
  }

  /** Writes the chunks by hand; with {@code awaitAck} returns the receiver's answer, else closes at once. */
  private SnapshotAck rawTransfer(List<SnapshotChunk.Builder> chunks, boolean awaitAck) throws Exception {
    NetSocket s = client.connect(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    CompletableFuture<SnapshotAck> ack = new CompletableFuture<>();
    s.handler(FrameCodec.decoder(b -> {
      try {
        ack.complete(PeerFrame.parseFrom(b.getBytes()).getSnapshotAck());
      } catch (Exception e) {
        ack.completeExceptionally(e);
      }
    }, problem -> ack.completeExceptionally(new AssertionError(problem))));
    for (SnapshotChunk.Builder c : chunks) {
      s.write(FrameCodec.encode(Buffer.buffer(PeerFrame.newBuilder().setFrom(1).setSnapshotChunk(c).build()
          .toByteArray())));
    }
    if (!awaitAck) {
      s.close();
      return null;
    }
    return ack.get(10, TimeUnit.SECONDS);
  }

  private List<Path> leftovers() throws Exception {
    if (!Files.exists(dir)) return List.of();
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).toList();
    }
  }

  private void awaitNoLeftovers() {
    List<Path> left = new ArrayList<>();
    // the temp file exists once the first chunk was written: wait for the receiver to have dropped it
    Wait.until(Duration.ofSeconds(10), () -> "no file left over, got " + left, () -> {
      left.clear();
      left.addAll(leftovers());
      return left.isEmpty() && Files.exists(dir);
    });
  }
}
