package io.vkv.node.snapshot;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.WriteStream;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.etcdserverpb.SnapshotResponse;
import io.vkv.store.MvccReader;
import io.vkv.store.StoreExport;
import io.vkv.store.etcdformat.EtcdMember;
import io.vkv.store.etcdformat.EtcdSnapshotWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Maintenance.Snapshot as etcd serves it: the store's point-in-time view, written as etcd's backend file, in 32 KiB
 * chunks with the bytes still to come, then one last message with the SHA-256 of everything before it (the trailer
 * {@code etcdctl snapshot restore} checks). The file is written to a temp file on a worker thread (the store's read
 * transaction pins one point in time while writes go on) and read back asynchronously, a chunk at a time, paused
 * while the client's stream is full: neither the file nor the event loop is ever held up in full.
 */
public final class SnapshotStreamer {
  static final int CHUNK = 32 * 1024;
  private static final Logger LOG = Logger.getLogger(SnapshotStreamer.class.getName());

  private final Vertx vertx;
  private final MvccReader store;
  private final Path tempDir;

  /** @param tempDir where the file is built (the data dir: same disk, and it is deleted once sent) */
  public SnapshotStreamer(Vertx vertx, MvccReader store, Path tempDir) {
    this.vertx = vertx;
    this.store = store;
    this.tempDir = tempDir;
  }

  /** Streams a snapshot to {@code out}; the future fails if it could not be written or sent. */
  public Future<Void> stream(List<Member> members, WriteStream<SnapshotResponse> out) {
    List<EtcdMember> etcdMembers = members.stream()
        .map(m -> new EtcdMember(m.getID(), m.getName(), m.getPeerURLsList(), m.getClientURLsList())).toList();
    return vertx.executeBlocking(() -> write(etcdMembers), false)
        .compose(file -> send(file, out).eventually(() -> vertx.fileSystem().delete(file.toString())
            .recover(e -> Future.succeededFuture())));
  }

  private Path write(List<EtcdMember> members) throws Exception {
    Files.createDirectories(tempDir);
    Path file = Files.createTempFile(tempDir, "snapshot-", ".db.part");
    try (StoreExport view = store.openExport()) {
      EtcdSnapshotWriter.write(view, members, file);
      return file;
    } catch (Exception e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  private Future<Void> send(Path file, WriteStream<SnapshotResponse> out) {
    return vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true))
        .compose(f -> vertx.fileSystem().props(file.toString()).compose(props -> pump(f, props.size(), out))
            .eventually(f::close));
  }

  private Future<Void> pump(AsyncFile file, long size, WriteStream<SnapshotResponse> out) {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    MessageDigest sha = sha256();
    long[] remaining = {size};
    file.setReadBufferSize(CHUNK);
    out.exceptionHandler(e -> {
      LOG.log(Level.FINE, "snapshot stream failed", e);
      file.pause();
      done.tryFail(e);
    });
    file.exceptionHandler(done::tryFail);
    file.handler((Buffer chunk) -> {
      byte[] bytes = chunk.getBytes();
      sha.update(bytes);
      remaining[0] -= bytes.length;
      out.write(SnapshotResponse.newBuilder().setRemainingBytes(remaining[0]).setBlob(ByteString.copyFrom(bytes)).build());
      if (out.writeQueueFull()) {
        file.pause();
        out.drainHandler(v -> file.resume());
      }
    });
    file.endHandler(v -> {
      out.write(SnapshotResponse.newBuilder().setRemainingBytes(0).setBlob(ByteString.copyFrom(sha.digest())).build());
      out.end().onComplete(done);
    });
    return done.future();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the JDK", e);
    }
  }
}
