package io.vkv.node.grpc;

import io.vertx.core.Future;
import io.vkv.api.etcdserverpb.ClusterService;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.etcdserverpb.MemberAddRequest;
import io.vkv.api.etcdserverpb.MemberAddResponse;
import io.vkv.api.etcdserverpb.MemberListRequest;
import io.vkv.api.etcdserverpb.MemberListResponse;
import io.vkv.api.etcdserverpb.MemberPromoteRequest;
import io.vkv.api.etcdserverpb.MemberPromoteResponse;
import io.vkv.api.etcdserverpb.MemberRemoveRequest;
import io.vkv.api.etcdserverpb.MemberRemoveResponse;
import io.vkv.api.etcdserverpb.MemberUpdateRequest;
import io.vkv.api.etcdserverpb.MemberUpdateResponse;
import io.vkv.api.etcdserverpb.ResponseHeader;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * etcd's Cluster service: the member list (ids, peer URLs and learner flags from the membership the log built; names
 * and client URLs as each member published them) and the membership changes, which {@code ClusterAdmin} checks and
 * runs through the log. As in etcd, the responses' header carries no revision.
 */
public final class ClusterEndpoint extends ClusterService {
  private final ServerContext server;

  public ClusterEndpoint(ServerContext server) {
    this.server = server;
  }

  private ResponseHeader header() {
    return server.header(0);
  }

  private List<Member> members() {
    return server.membership().members(server.store().memberAttributes());
  }

  @Override
  public Future<MemberListResponse> memberList(MemberListRequest request) {
    return Future.succeededFuture(MemberListResponse.newBuilder().setHeader(header()).addAllMembers(members()).build());
  }

  @Override
  public Future<MemberAddResponse> memberAdd(MemberAddRequest request) {
    return answer(() -> server.cluster().add(request.getPeerURLsList(), request.getIsLearner()), added ->
        MemberAddResponse.newBuilder().setHeader(header()).setMember(added).addAllMembers(members()).build());
  }

  @Override
  public Future<MemberRemoveResponse> memberRemove(MemberRemoveRequest request) {
    return answer(() -> server.cluster().remove(request.getID()), v ->
        MemberRemoveResponse.newBuilder().setHeader(header()).addAllMembers(members()).build());
  }

  @Override
  public Future<MemberUpdateResponse> memberUpdate(MemberUpdateRequest request) {
    return answer(() -> server.cluster().update(request.getID(), request.getPeerURLsList()), v ->
        MemberUpdateResponse.newBuilder().setHeader(header()).addAllMembers(members()).build());
  }

  @Override
  public Future<MemberPromoteResponse> memberPromote(MemberPromoteRequest request) {
    return answer(() -> server.cluster().promote(request.getID()), v ->
        MemberPromoteResponse.newBuilder().setHeader(header()).addAllMembers(members()).build());
  }

  /**
   * A membership change, once the caller may make it: as etcd, only root once auth is on (MemberList stays open).
   */
  private <T, R> Future<R> answer(java.util.function.Supplier<CompletableFuture<T>> change, Function<T, R> response) {
    try {
      if (server.auth().enabled()) server.auth().checkAdmin(server.auth().caller());
    } catch (RuntimeException e) {
      return Future.failedFuture(GrpcErrors.toStatus(e));
    }
    return Future.fromCompletionStage(change.get()).transform(ar -> ar.failed()
        ? Future.failedFuture(GrpcErrors.toStatus(ar.cause())) : Future.succeededFuture(response.apply(ar.result())));
  }
}
