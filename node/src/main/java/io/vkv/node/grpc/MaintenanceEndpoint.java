package io.vkv.node.grpc;

import io.vertx.core.Future;
import io.vkv.api.etcdserverpb.AlarmRequest;
import io.vkv.api.etcdserverpb.AlarmResponse;
import io.vkv.api.etcdserverpb.DefragmentRequest;
import io.vkv.api.etcdserverpb.DefragmentResponse;
import io.vkv.api.etcdserverpb.HashKVRequest;
import io.vkv.api.etcdserverpb.HashKVResponse;
import io.vkv.api.etcdserverpb.HashRequest;
import io.vkv.api.etcdserverpb.HashResponse;
import io.vkv.api.etcdserverpb.MaintenanceService;
import io.vkv.api.etcdserverpb.MoveLeaderRequest;
import io.vkv.api.etcdserverpb.MoveLeaderResponse;
import io.vkv.api.etcdserverpb.StatusRequest;
import io.vkv.api.etcdserverpb.StatusResponse;
import io.vkv.api.etcdserverpb.SnapshotRequest;
import io.vkv.api.etcdserverpb.SnapshotResponse;
import io.vertx.core.streams.WriteStream;
import io.vkv.api.EtcdError;
import io.vkv.node.wire.StreamErrors;
import io.vkv.api.internal.InternalRequest;
import io.vkv.node.VkvVersion;
import io.vkv.node.snapshot.SnapshotStreamer;
import io.vkv.store.KvHash;

/** etcd's Maintenance service: status, alarms, defragment, key-space hashes, snapshots, leader transfer. */
public final class MaintenanceEndpoint extends MaintenanceService {
  private final ServerContext server;

  public MaintenanceEndpoint(ServerContext server) {
    this.server = server;
  }

  @Override
  public Future<StatusResponse> status(StatusRequest request) {
    try {
      var store = server.store();
      var proposer = server.proposer();
      long leader = proposer.leaderId();
      StatusResponse.Builder status = StatusResponse.newBuilder()
          .setHeader(server.currentHeader())
          .setVersion(VkvVersion.ETCD_COMPAT)
          .setDbSize(store.dbSize())
          .setDbSizeInUse(store.dbSizeInUse())
          .setLeader(leader)
          .setRaftIndex(proposer.committedIndex()) // etcd reports the committed index here
          .setRaftTerm(proposer.term())
          .setRaftAppliedIndex(proposer.appliedIndex())
          .setIsLearner(server.membership().localIsLearner());
      if (leader == 0) status.addErrors(EtcdError.NO_LEADER.message());
      for (var alarm : store.alarms()) status.addErrors(AlarmText.of(alarm));
      return Future.succeededFuture(status.build());
    } catch (RuntimeException e) {
      return Future.failedFuture(GrpcErrors.toStatus(e));
    }
  }

  /**
   * Hashes the key space up to {@code revision} on a worker thread: a hash reads every version in the store, which
   * would hold up every other call on this event loop. The header's revision is the one the hash was taken at.
   */
  @Override
  public Future<HashKVResponse> hashKV(HashKVRequest request) {
    return hashOffLoop(request.getRevision()).map(h -> HashKVResponse.newBuilder()
        .setHeader(server.header(h.currentRevision()))
        .setHash(h.hash())
        .setCompactRevision(h.compactRevision())
        .build());
  }

  @Override
  public Future<HashResponse> hash(HashRequest request) {
    return hashOffLoop(0).map(h -> HashResponse.newBuilder()
        .setHeader(server.header(h.currentRevision()))
        .setHash(h.hash())
        .build());
  }

  private Future<KvHash> hashOffLoop(long revision) {
    try {
      requireAdmin();
    } catch (RuntimeException e) {
      return Future.failedFuture(GrpcErrors.toStatus(e));
    }
    var context = io.vertx.core.Vertx.currentContext();
    return context.owner().executeBlocking(() -> server.store().hashByRevision(revision), false)
        .recover(e -> Future.failedFuture(GrpcErrors.toStatus(e)));
  }

  /**
   * etcd's Alarm: every action goes through the log (a GET too, so it is linearizable), open to every user as in
   * etcd 3.4, and answered without a header, as etcd answers it.
   */
  @Override
  public Future<AlarmResponse> alarm(AlarmRequest request) {
    return GrpcProposer.propose(server, InternalRequest.newBuilder().setAlarm(request).build(),
        io.vertx.core.Vertx.currentContext()).map(r -> (AlarmResponse) r.response());
  }

  /**
   * Rewrites this member's data file without free pages (etcd's Defragment: this member only, root only once auth
   * is on, an empty response). Reads go on meanwhile; applying waits for the copy (see docs/operations.md).
   */
  @Override
  public Future<DefragmentResponse> defragment(DefragmentRequest request) {
    try {
      requireAdmin();
    } catch (RuntimeException e) {
      return Future.failedFuture(GrpcErrors.toStatus(e));
    }
    return Future.fromCompletionStage(server.proposer().defragment(), io.vertx.core.Vertx.currentContext())
        .map(v -> DefragmentResponse.getDefaultInstance())
        .recover(e -> Future.failedFuture(GrpcErrors.toStatus(e)));
  }

  @Override
  protected void snapshot(SnapshotRequest request, WriteStream<SnapshotResponse> response) {
    java.util.function.Consumer<Throwable> onFailure =
        e -> StreamErrors.fail(response, (io.vertx.grpc.server.StatusException) GrpcErrors.toStatus(e));
    try {
      requireAdmin();
    } catch (RuntimeException e) {
      onFailure.accept(e);
      return;
    }
    var members = server.membership().members(server.store().memberAttributes());
    new SnapshotStreamer(io.vertx.core.Vertx.currentContext().owner(), server.store(), server.config().dataDir().resolve("member").resolve("snap"))
        .stream(members, response)
        .onFailure(e -> {
          try {
            onFailure.accept(e);
          } catch (IllegalStateException alreadyClosed) {
            // the client went away: nothing to tell it
          }
        });
  }

  @Override
  public Future<MoveLeaderResponse> moveLeader(MoveLeaderRequest request) {
    try {
      requireAdmin();
    } catch (RuntimeException e) {
      return Future.failedFuture(GrpcErrors.toStatus(e));
    }
    // like etcd: an empty response once the target leads; "not leader" unless this member leads
    return Future.fromCompletionStage(server.proposer().moveLeader(request.getTargetID()))
        .map(v -> MoveLeaderResponse.getDefaultInstance())
        .recover(e -> Future.failedFuture(GrpcErrors.toStatus(e)));
  }

  /** etcd lets only root hash the key space or move the leader once auth is on (Status stays open to all). */
  private void requireAdmin() {
    if (server.auth().enabled()) server.auth().checkAdmin(server.auth().caller());
  }
}
