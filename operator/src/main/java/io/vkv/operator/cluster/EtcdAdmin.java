package io.vkv.operator.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vkv.api.etcdserverpb.ClusterGrpcClient;
import io.vkv.api.etcdserverpb.MaintenanceGrpcClient;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.etcdserverpb.MemberAddRequest;
import io.vkv.api.etcdserverpb.MemberListRequest;
import io.vkv.api.etcdserverpb.MemberPromoteRequest;
import io.vkv.api.etcdserverpb.MemberRemoveRequest;
import io.vkv.api.etcdserverpb.MoveLeaderRequest;
import io.vkv.api.etcdserverpb.SnapshotRequest;
import io.vkv.api.etcdserverpb.StatusRequest;
import io.vkv.api.etcdserverpb.StatusResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The cluster side of the operator: etcd v3 Cluster and Maintenance calls on one member's client URL, each blocking
 * the controller's thread up to a deadline (the controller does one thing at a time anyway). Platform-neutral.
 */
public final class EtcdAdmin implements ClusterApi {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(10);

  private final Vertx vertx = Vertx.vertx();
  private final GrpcClient grpc = GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(16 << 20));

  @Override
  public StatusResponse status(String clientUrl) throws IOException {
    return await(unary(clientUrl, MaintenanceGrpcClient.Status, StatusRequest.getDefaultInstance()), CALL_TIMEOUT);
  }

  @Override
  public List<Member> memberList(String clientUrl) throws IOException {
    return await(unary(clientUrl, ClusterGrpcClient.MemberList, MemberListRequest.getDefaultInstance()), CALL_TIMEOUT).getMembersList();
  }

  @Override
  public Member addLearner(String clientUrl, String peerUrl) throws IOException {
    MemberAddRequest req = MemberAddRequest.newBuilder().addPeerURLs(peerUrl).setIsLearner(true).build();
    return await(unary(clientUrl, ClusterGrpcClient.MemberAdd, req), CALL_TIMEOUT).getMember();
  }

  @Override
  public void promote(String clientUrl, long id) throws IOException {
    await(unary(clientUrl, ClusterGrpcClient.MemberPromote, MemberPromoteRequest.newBuilder().setID(id).build()), CALL_TIMEOUT);
  }

  @Override
  public void remove(String clientUrl, long id) throws IOException {
    await(unary(clientUrl, ClusterGrpcClient.MemberRemove, MemberRemoveRequest.newBuilder().setID(id).build()), CALL_TIMEOUT);
  }

  @Override
  public void moveLeader(String leaderClientUrl, long to) throws IOException {
    await(unary(leaderClientUrl, MaintenanceGrpcClient.MoveLeader, MoveLeaderRequest.newBuilder().setTargetID(to).build()), CALL_TIMEOUT);
  }

  /**
   * Streams {@code Maintenance.Snapshot} into {@code target}: the database, then the SHA-256 trailer the server
   * sends last (etcd's file layout). The chunks are written on the operator's own event loop: nothing else runs
   * there while the controller waits for this call.
   */
  @Override
  public void snapshot(String clientUrl, Path target) throws IOException {
    FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
    try (out) {
      Promise<Void> done = Promise.promise();
      maintenance(clientUrl).snapshot(SnapshotRequest.getDefaultInstance()).onComplete(ar -> {
        if (ar.failed()) {
          done.tryFail(ar.cause());
          return;
        }
        ar.result().exceptionHandler(done::tryFail).endHandler(v -> done.tryComplete()).handler(chunk -> {
          try {
            out.write(chunk.getBlob().asReadOnlyByteBuffer());
          } catch (IOException e) {
            done.tryFail(e);
          }
        });
      });
      await(done.future(), SNAPSHOT_TIMEOUT);
      out.force(true);
    }
  }

  /** One unary call; a failure carries etcd's gRPC status and message (e.g. "not in sync with leader"). */
  private <Req, Resp> Future<Resp> unary(String clientUrl, ServiceMethod<Resp, Req> method, Req request) {
    return grpc.request(address(clientUrl), method).compose(req -> {
      req.end(request);
      return req.response().compose(resp -> resp.last().recover(e -> Future.failedFuture(
          resp.status() != null && resp.status() != GrpcStatus.OK ? new EtcdError(resp.status(), resp.statusMessage()) : e)));
    });
  }

  /** A call refused by the cluster, with etcd's status and text. */
  public static final class EtcdError extends IOException {
    private final GrpcStatus status;

    EtcdError(GrpcStatus status, String message) {
      super(status + ": " + message);
      this.status = status;
    }

    public GrpcStatus status() {
      return status;
    }
  }

  private MaintenanceGrpcClient maintenance(String clientUrl) {
    return MaintenanceGrpcClient.create(grpc, address(clientUrl));
  }

  private static SocketAddress address(String url) {
    URI u = URI.create(url);
    return SocketAddress.inetSocketAddress(u.getPort(), u.getHost());
  }

  private static <T> T await(Future<T> f, Duration timeout) throws IOException {
    try {
      return f.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("no answer within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    grpc.close();
    vertx.close();
  }
}
