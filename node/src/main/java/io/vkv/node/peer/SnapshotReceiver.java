package io.vkv.node.peer;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vkv.api.internal.PeerFrame;
import io.vkv.api.internal.RaftMessage;
import io.vkv.api.internal.SnapshotAck;
import io.vkv.api.internal.SnapshotChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * Receives snapshots sent by {@link SnapshotSender}: writes the chunks of each connection (on {@code io}, pausing
 * the socket while writes queue up) into a temporary file under {@code dir}, and once the last chunk arrived
 * checks the length and CRC32C, forces the file and renames it to {@code dir/<index>/data.mdb} (the layout of an
 * LMDB copy). Only then is {@code onReceived} told (on the event loop) and the sender acknowledged. A torn or
 * corrupt transfer leaves nothing behind but a refusal; the leader retries.
 */
public final class SnapshotReceiver {
  private static final Logger LOG = Logger.getLogger(SnapshotReceiver.class.getName());
  private static final int MAX_QUEUED_WRITES = 4;

  private final Vertx vertx;
  private final Path dir;
  private final Executor io;
  private final BiConsumer<RaftMessage, Path> onReceived;
  private final Map<NetSocket, Incoming> incoming = new HashMap<>();

  /** @param onReceived the SNAP message and the directory holding the verified copy */
  public SnapshotReceiver(Vertx vertx, Path dir, Executor io, BiConsumer<RaftMessage, Path> onReceived) {
    this.vertx = vertx;
    this.dir = dir;
    this.io = io;
    this.onReceived = onReceived;
  }

  /** Where a received snapshot at this index is kept until it is installed. */
  public static Path receivedDir(Path dir, long index) {
    return dir.resolve(Long.toString(index));
  }

  /** One chunk from {@code socket}; called on the event loop that owns it. */
  public void onChunk(NetSocket socket, SnapshotChunk chunk) {
    Incoming in = incoming.get(socket);
    if (in == null) {
      if (!chunk.hasMessage() || chunk.getOffset() != 0) {
        refuse(socket, "a snapshot must start with its message at offset 0");
        return;
      }
      in = new Incoming(socket, chunk.getMessage(), vertx.getOrCreateContext());
      incoming.put(socket, in);
      Incoming started = in;
      socket.closeHandler(v -> {
        if (incoming.remove(socket) == started) started.abandon();
      });
    }
    in.accept(chunk);
  }

  private void refuse(NetSocket socket, String why) {
    LOG.warning(() -> "refusing a snapshot from " + socket.remoteAddress() + ": " + why);
    Incoming in = incoming.remove(socket);
    if (in != null) in.abandon();
    socket.write(FrameCodec.encode(Buffer.buffer(PeerFrame.newBuilder()
        .setSnapshotAck(SnapshotAck.newBuilder().setOk(false).setError(why)).build().toByteArray())));
    socket.end();
  }

  /** One transfer in progress. Its file work runs on {@code io} in chunk order, chained on {@link #writes}. */
  private final class Incoming {
    final NetSocket socket;
    final RaftMessage message;
    final Context context;
    final Path temp;
    final CRC32C crc = new CRC32C();
    FileChannel channel;
    CompletableFuture<Void> writes;
    long expected;
    int queued;
    boolean paused;

    Incoming(NetSocket socket, RaftMessage message, Context context) {
      this.socket = socket;
      this.message = message;
      this.context = context;
      this.temp = dir.resolve("incoming-" + message.getSnapshot().getIndex() + "-" + System.nanoTime() + ".tmp");
      this.writes = CompletableFuture.runAsync(() -> {
        try {
          Files.createDirectories(dir);
          channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, io);
    }

    void accept(SnapshotChunk chunk) {
      if (chunk.getOffset() != expected) {
        refuse(socket, "chunk at offset " + chunk.getOffset() + ", expected " + expected);
        return;
      }
      expected += chunk.getData().size();
      if (++queued >= MAX_QUEUED_WRITES && !paused) {
        paused = true;
        socket.pause();
      }
      writes = writes.thenRunAsync(() -> write(chunk), io);
      writes.whenComplete((v, e) -> context.runOnContext(x -> {
        if (--queued <= 1 && paused) {
          paused = false;
          socket.resume();
        }
      }));
      if (!chunk.getLast()) return;
      long total = chunk.getTotalBytes();
      int sum = chunk.getCrc32C();
      writes.thenApplyAsync(v -> complete(total, sum), io).whenComplete((target, e) -> context.runOnContext(x -> {
        if (incoming.get(socket) != this) return;
        if (e != null) {
          refuse(socket, (e.getCause() != null ? e.getCause() : e).getMessage());
          return;
        }
        incoming.remove(socket);
        onReceived.accept(message, target);
        socket.write(FrameCodec.encode(Buffer.buffer(PeerFrame.newBuilder()
            .setSnapshotAck(SnapshotAck.newBuilder().setOk(true)).build().toByteArray())));
      }));
    }

    private void write(SnapshotChunk chunk) {
      try {
        var buf = chunk.getData().asReadOnlyByteBuffer();
        crc.update(buf.duplicate());
        while (buf.hasRemaining()) channel.write(buf);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Verifies and forces the file, then renames it into place; returns the directory holding it. */
    private Path complete(long total, int sum) {
      try {
        long size = channel.size();
        if (size != total) throw new IOException("received " + size + " bytes, the sender sent " + total);
        if ((int) crc.getValue() != sum) throw new IOException("checksum mismatch: the snapshot is corrupt");
        channel.force(true);
        channel.close();
        Path target = receivedDir(dir, message.getSnapshot().getIndex());
        if (Files.exists(target.resolve("data.mdb"))) {
          Files.delete(temp); // the same index again (a retry): the state at one index is the same everywhere
        } else {
          Files.createDirectories(target);
          Files.move(temp, target.resolve("data.mdb"), StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
      } catch (IOException e) {
        deleteQuietly();
        throw new UncheckedIOException(e);
      }
    }

    /** The connection ended or the transfer was refused: drop what was written. */
    void abandon() {
      writes.whenCompleteAsync((v, e) -> deleteQuietly(), io);
    }

    private void deleteQuietly() {
      try {
        if (channel != null && channel.isOpen()) channel.close();
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        LOG.fine(() -> "could not delete " + temp + ": " + e);
      }
    }
  }
}
