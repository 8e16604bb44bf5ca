package io.vkv.node.grpc;

import io.vertx.core.Future;
import io.vkv.api.etcdserverpb.ClusterService;
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

/**
 * etcd's Cluster service: the member list (ids and peer URLs from the bootstrap membership, client URLs as each
 * member published them through the log); membership changes answer UNIMPLEMENTED until they are built.
 */
public final class ClusterEndpoint extends ClusterService {
  private final ServerContext server;

  public ClusterEndpoint(ServerContext server) {
    this.server = server;
  }

  @Override
  public Future<MemberListResponse> memberList(MemberListRequest request) {
    return Future.succeededFuture(MemberListResponse.newBuilder()
        .setHeader(server.header(0)) // as etcd: the cluster service's header carries no revision
        .addAllMembers(server.membership().members(server.store().memberAttributes()))
        .build());
  }

  @Override
  public Future<MemberAddResponse> memberAdd(MemberAddRequest request) {
    return Future.failedFuture(GrpcErrors.unimplemented("Cluster.MemberAdd"));
  }

  @Override
  public Future<MemberRemoveResponse> memberRemove(MemberRemoveRequest request) {
    return Future.failedFuture(GrpcErrors.unimplemented("Cluster.MemberRemove"));
  }

  @Override
  public Future<MemberUpdateResponse> memberUpdate(MemberUpdateRequest request) {
    return Future.failedFuture(GrpcErrors.unimplemented("Cluster.MemberUpdate"));
  }

  @Override
  public Future<MemberPromoteResponse> memberPromote(MemberPromoteRequest request) {
    return Future.failedFuture(GrpcErrors.unimplemented("Cluster.MemberPromote"));
  }
}
