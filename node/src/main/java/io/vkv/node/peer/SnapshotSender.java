package io.vkv.node.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vkv.api.internal.PeerFrame;
import io.vkv.api.internal.RaftMessage;
import io.vkv.api.internal.SnapshotChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.zip.CRC32C;

/**
 * Streams one snapshot file to another member on a connection of its own, in {@link #CHUNK_BYTES} frames: reads
 * the next chunk (on {@code io}) only once the socket's write queue has room, so neither memory nor the event loop
 * is held up by a large file. Succeeds when the receiver acknowledges a complete, verified copy; fails on a
 * refusal, a closed connection or {@code idleTimeoutMs} without progress.
 */
public final class SnapshotSender {
  public static final int CHUNK_BYTES = 1 << 20;

  private final Vertx vertx;
  private final Context context;
  private final Executor io;
  private final long from;
  private final RaftMessage message;
  private final Path file;
  private final long idleTimeoutMs;
  private final Promise<Void> done = Promise.promise();
  private final CRC32C crc = new CRC32C();
  private FileChannel channel;
  private long size;
  private long offset;
  private NetSocket socket;
  private long timer = -1;

  private SnapshotSender(Vertx vertx, Executor io, long from, RaftMessage message, Path file, long idleTimeoutMs) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.io = io;
    this.from = from;
    this.message = message;
    this.file = file;
    this.idleTimeoutMs = idleTimeoutMs;
  }

  /** Call on an event-loop context; the result completes on it. */
  public static Future<Void> send(Vertx vertx, NetClient client, String host, int port, Executor io, long from,
                                  RaftMessage message, Path file, long idleTimeoutMs) {
    SnapshotSender s = new SnapshotSender(vertx, io, from, message, file, idleTimeoutMs);
    s.start(client, host, port);
    return s.done.future();
  }

  private void start(NetClient client, String host, int port) {
    armTimer();
    CompletableFuture.runAsync(() -> {
      try {
        channel = FileChannel.open(file, StandardOpenOption.READ);
        size = channel.size();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, io).whenComplete((v, e) -> context.runOnContext(x -> {
      if (e != null) {
        fail("cannot read the snapshot: " + e.getMessage());
        return;
      }
      client.connect(port, host).onComplete(ar -> {
        if (ar.failed()) {
          fail("cannot connect: " + ar.cause().getMessage());
          return;
        }
        socket = ar.result();
        if (done.future().isComplete()) {
          socket.close();
          return;
        }
        socket.handler(FrameCodec.decoder(this::onReply, this::fail));
        socket.closeHandler(c -> fail("the receiver closed the connection"));
        socket.exceptionHandler(t -> fail(t.toString()));
        pump();
      });
    }));
  }

  private void pump() {
    if (done.future().isComplete()) return;
    if (socket.writeQueueFull()) {
      socket.drainHandler(v -> pump());
      return;
    }
    long at = offset;
    int len = (int) Math.min(CHUNK_BYTES, size - at);
    CompletableFuture.supplyAsync(() -> read(at, len), io).whenComplete((data, e) -> context.runOnContext(x -> {
      if (e != null) {
        fail("reading the snapshot: " + e.getMessage());
        return;
      }
      if (done.future().isComplete()) return;
      crc.update(data.asReadOnlyByteBuffer());
      offset = at + len;
      boolean last = offset == size;
      SnapshotChunk.Builder chunk = SnapshotChunk.newBuilder().setOffset(at).setData(data).setLast(last);
      if (at == 0) chunk.setMessage(message);
      if (last) chunk.setTotalBytes(size).setCrc32C((int) crc.getValue());
      socket.write(FrameCodec.encode(Buffer.buffer(
          PeerFrame.newBuilder().setFrom(from).setSnapshotChunk(chunk).build().toByteArray())));
      armTimer();
      if (!last) pump(); // after the last chunk: wait for the acknowledgement
    }));
  }

  private ByteString read(long at, int len) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(len);
      while (buf.hasRemaining()) {
        if (channel.read(buf, at + buf.position()) < 0) throw new IOException("the file ended early");
      }
      buf.flip();
      return ByteString.copyFrom(buf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void onReply(Buffer payload) {
    try {
      PeerFrame f = PeerFrame.parseFrom(payload.getBytes());
      if (!f.hasSnapshotAck()) return;
      if (f.getSnapshotAck().getOk()) finish(null);
      else fail("refused: " + f.getSnapshotAck().getError());
    } catch (InvalidProtocolBufferException e) {
      fail("unreadable reply: " + e.getMessage());
    }
  }

  private void armTimer() {
    if (timer >= 0) vertx.cancelTimer(timer);
    timer = vertx.setTimer(idleTimeoutMs, t -> fail("no progress for " + idleTimeoutMs + " ms"));
  }

  private void fail(String why) {
    finish(new IOException("snapshot transfer failed: " + why));
  }

  private void finish(Throwable failure) {
    if (done.future().isComplete()) return;
    if (timer >= 0) vertx.cancelTimer(timer);
    if (socket != null) socket.close();
    FileChannel c = channel;
    if (c != null) io.execute(() -> {
      try {
        c.close();
      } catch (IOException ignored) {
        // read-only: nothing to lose
      }
    });
    if (failure == null) done.complete();
    else done.fail(failure);
  }
}
