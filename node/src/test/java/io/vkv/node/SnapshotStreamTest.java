package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import io.vertx.grpc.client.GrpcClient;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.MaintenanceGrpcClient;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.SnapshotRequest;
import io.vkv.api.etcdserverpb.SnapshotResponse;
import io.vkv.store.etcdformat.SnapshotStatus;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maintenance.Snapshot read by a client that takes one message at a time: chunks of at most 32 KiB with the bytes
 * still to come, then the SHA-256 of them all; the file is the store at the request's revision, and a write made
 * while the client holds the stream (reading nothing) completes.
 */
@Timeout(120)
class SnapshotStreamTest {
  @TempDir
  Path dir;
  /** The response stream, for fetching from the test thread (on the client's context). */
  @SuppressWarnings("unchecked")
  private final ReadStream<SnapshotResponse>[] fetcher = new ReadStream[1];

  @Test
  void chunksRemainingBytesTrailerAndPointInTime() throws Exception {
    VkvNode node = TestNodes.startSingle(dir.resolve("node"));
    Vertx vertx = Vertx.vertx();
    try {
      URI url = node.clientUrls().get(0);
      SocketAddress address = SocketAddress.inetSocketAddress(url.getPort(), url.getHost());
      GrpcClient grpc = GrpcClient.client(vertx);
      KVGrpcClient kv = KVGrpcClient.create(grpc, address);
      ByteString value = ByteString.copyFromUtf8("v".repeat(20_000));
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        puts.add(kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k" + i)).setValue(value).build()));
      }
      long revision = 0;
      for (Future<?> p : puts) {
        revision = Math.max(revision, ((io.vkv.api.etcdserverpb.PutResponse) await(p)).getHeader().getRevision());
      }

      BlockingQueue<SnapshotResponse> received = new LinkedBlockingQueue<>();
      Future<Void> ended = MaintenanceGrpcClient.create(grpc, address).snapshot(SnapshotRequest.getDefaultInstance())
          .compose(stream -> {
            stream.pause(); // demand mode: one message per fetch
            io.vertx.core.Promise<Void> end = io.vertx.core.Promise.promise();
            stream.handler(received::add).endHandler(v -> end.complete()).exceptionHandler(end::tryFail);
            stream.fetch(1);
            fetcher[0] = stream;
            return end.future();
          });
      SnapshotResponse first = received.poll(30, TimeUnit.SECONDS);
      assertTrue(first != null, "a first chunk");
      // the client reads nothing more for now; writes go on
      long later = await(kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("later")).build())).getHeader().getRevision();
      assertEquals(revision + 1, later);

      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      SnapshotResponse m = first;
      long expectRemaining = -1;
      while (true) {
        if (m.getRemainingBytes() == 0 && expectRemaining == 0) break; // the trailer
        assertTrue(m.getBlob().size() <= 32 * 1024 && m.getBlob().size() > 0, "chunk of " + m.getBlob().size());
        if (expectRemaining < 0) expectRemaining = m.getRemainingBytes() + m.getBlob().size();
        expectRemaining -= m.getBlob().size();
        assertEquals(expectRemaining, m.getRemainingBytes());
        sha.update(m.getBlob().toByteArray());
        m.getBlob().writeTo(file);
        vertx.runOnContext(v -> fetcher[0].fetch(1));
        m = received.poll(30, TimeUnit.SECONDS);
        assertTrue(m != null, "the next chunk");
      }
      assertArrayEquals(sha.digest(), m.getBlob().toByteArray(), "the trailer is the SHA-256 of every chunk");
      vertx.runOnContext(v -> fetcher[0].fetch(1));
      await(ended);
      assertTrue(file.size() > 4_000_000, "size " + file.size());

      Path saved = dir.resolve("streamed.db");
      Files.write(saved, file.toByteArray());
      assertEquals(revision, SnapshotStatus.of(saved).revision(), "the store as of the request, not the later put");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      TestNodes.stop(node);
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
