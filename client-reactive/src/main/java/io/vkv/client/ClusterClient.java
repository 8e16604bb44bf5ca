package io.vkv.client;

import io.vertx.core.Future;
import io.vkv.api.etcdserverpb.ClusterGrpcClient;
import io.vkv.api.etcdserverpb.MemberListRequest;
import io.vkv.api.etcdserverpb.MemberListResponse;

/** etcd's Cluster service; membership changes come with the cluster-management slice. */
public final class ClusterClient {
  private static final MemberListRequest LIST = MemberListRequest.getDefaultInstance();

  private final Invoker invoker;

  ClusterClient(Invoker invoker) {
    this.invoker = invoker;
  }

  public Future<MemberListResponse> memberList() {
    return invoker.call(ClusterGrpcClient.MemberList, LIST, true);
  }
}
