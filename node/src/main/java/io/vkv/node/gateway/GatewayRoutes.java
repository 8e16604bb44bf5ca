package io.vkv.node.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vkv.api.etcdserverpb.AlarmRequest;
import io.vkv.api.etcdserverpb.AuthDisableRequest;
import io.vkv.api.etcdserverpb.AuthEnableRequest;
import io.vkv.api.etcdserverpb.AuthRoleAddRequest;
import io.vkv.api.etcdserverpb.AuthRoleDeleteRequest;
import io.vkv.api.etcdserverpb.AuthRoleGetRequest;
import io.vkv.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.vkv.api.etcdserverpb.AuthRoleListRequest;
import io.vkv.api.etcdserverpb.AuthRoleRevokePermissionRequest;
import io.vkv.api.etcdserverpb.AuthUserAddRequest;
import io.vkv.api.etcdserverpb.AuthUserChangePasswordRequest;
import io.vkv.api.etcdserverpb.AuthUserDeleteRequest;
import io.vkv.api.etcdserverpb.AuthUserGetRequest;
import io.vkv.api.etcdserverpb.AuthUserGrantRoleRequest;
import io.vkv.api.etcdserverpb.AuthUserListRequest;
import io.vkv.api.etcdserverpb.AuthUserRevokeRoleRequest;
import io.vkv.api.etcdserverpb.AuthenticateRequest;
import io.vkv.api.etcdserverpb.CompactionRequest;
import io.vkv.api.etcdserverpb.DefragmentRequest;
import io.vkv.api.etcdserverpb.DeleteRangeRequest;
import io.vkv.api.etcdserverpb.HashRequest;
import io.vkv.api.etcdserverpb.LeaseGrantRequest;
import io.vkv.api.etcdserverpb.LeaseKeepAliveRequest;
import io.vkv.api.etcdserverpb.LeaseKeepAliveResponse;
import io.vkv.api.etcdserverpb.LeaseLeasesRequest;
import io.vkv.api.etcdserverpb.LeaseRevokeRequest;
import io.vkv.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.vkv.api.etcdserverpb.MemberAddRequest;
import io.vkv.api.etcdserverpb.MemberListRequest;
import io.vkv.api.etcdserverpb.MemberPromoteRequest;
import io.vkv.api.etcdserverpb.MemberRemoveRequest;
import io.vkv.api.etcdserverpb.MemberUpdateRequest;
import io.vkv.api.etcdserverpb.MoveLeaderRequest;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.SnapshotRequest;
import io.vkv.api.etcdserverpb.SnapshotResponse;
import io.vkv.api.etcdserverpb.StatusRequest;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.etcdserverpb.WatchRequest;
import io.vkv.api.etcdserverpb.WatchResponse;
import io.vkv.api.v3electionpb.CampaignRequest;
import io.vkv.api.v3electionpb.LeaderRequest;
import io.vkv.api.v3electionpb.LeaderResponse;
import io.vkv.api.v3electionpb.ProclaimRequest;
import io.vkv.api.v3electionpb.ResignRequest;
import io.vkv.api.v3lockpb.LockRequest;
import io.vkv.api.v3lockpb.UnlockRequest;
import io.vkv.node.grpc.MaintenanceStreams;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** etcd 3.4's HTTP mapping of the v3 API (the {@code google.api.http} options of its protos), below {@code /v3}. */
final class GatewayRoutes {
  private GatewayRoutes() {}

  static Map<String, Route> of(GatewayHandlers h) {
    Map<String, Route> r = new HashMap<>();
    r.put("/kv/range", Route.unary(RangeRequest.getDefaultInstance(), (q, http) -> h.kv().range(q)));
    r.put("/kv/put", Route.unary(PutRequest.getDefaultInstance(), (q, http) -> h.kv().put(q)));
    r.put("/kv/deleterange", Route.unary(DeleteRangeRequest.getDefaultInstance(), (q, http) -> h.kv().deleteRange(q)));
    r.put("/kv/txn", Route.unary(TxnRequest.getDefaultInstance(), (q, http) -> h.kv().txn(q)));
    r.put("/kv/compaction", Route.unary(CompactionRequest.getDefaultInstance(), (q, http) -> h.kv().compact(q)));

    r.put("/watch", Route.<WatchRequest, WatchResponse>bidi(WatchRequest.getDefaultInstance(), false, h.watch()::watch));

    r.put("/lease/grant", Route.unary(LeaseGrantRequest.getDefaultInstance(), (q, http) -> h.lease().leaseGrant(q)));
    Route revoke = Route.unary(LeaseRevokeRequest.getDefaultInstance(), (q, http) -> h.lease().leaseRevoke(q));
    Route timeToLive = Route.unary(LeaseTimeToLiveRequest.getDefaultInstance(), (q, http) -> h.lease().leaseTimeToLive(q));
    Route leases = Route.unary(LeaseLeasesRequest.getDefaultInstance(), (q, http) -> h.lease().leaseLeases(q));
    // etcd 3.4 serves these under /v3/kv/lease/ too
    for (String base : new String[] {"/lease/", "/kv/lease/"}) {
      r.put(base + "revoke", revoke);
      r.put(base + "timetolive", timeToLive);
      r.put(base + "leases", leases);
    }
    r.put("/lease/keepalive", Route.<LeaseKeepAliveRequest, LeaseKeepAliveResponse>bidi(LeaseKeepAliveRequest.getDefaultInstance(), true,
         h.lease()::leaseKeepAlive));

    r.put("/cluster/member/add", Route.unary(MemberAddRequest.getDefaultInstance(), (q, http) -> h.cluster().memberAdd(q)));
    r.put("/cluster/member/remove", Route.unary(MemberRemoveRequest.getDefaultInstance(), (q, http) -> h.cluster().memberRemove(q)));
    r.put("/cluster/member/update", Route.unary(MemberUpdateRequest.getDefaultInstance(), (q, http) -> h.cluster().memberUpdate(q)));
    r.put("/cluster/member/list", Route.unary(MemberListRequest.getDefaultInstance(), (q, http) -> h.cluster().memberList(q)));
    r.put("/cluster/member/promote", Route.unary(MemberPromoteRequest.getDefaultInstance(), (q, http) -> h.cluster().memberPromote(q)));

    r.put("/maintenance/alarm", Route.unary(AlarmRequest.getDefaultInstance(), (q, http) -> h.maintenance().alarm(q)));
    r.put("/maintenance/status", Route.unary(StatusRequest.getDefaultInstance(), (q, http) -> h.maintenance().status(q)));
    r.put("/maintenance/defragment", Route.unary(DefragmentRequest.getDefaultInstance(), (q, http) -> h.maintenance().defragment(q)));
    r.put("/maintenance/hash", Route.unary(HashRequest.getDefaultInstance(), (q, http) -> h.maintenance().hash(q)));
    r.put("/maintenance/transfer-leadership", Route.unary(MoveLeaderRequest.getDefaultInstance(),
        (q, http) -> h.maintenance().moveLeader(q)));
    r.put("/maintenance/snapshot", Route.<SnapshotRequest, SnapshotResponse>serverStream(SnapshotRequest.getDefaultInstance(),
        (q, out) -> MaintenanceStreams.snapshot(h.maintenance(), q, out)));

    r.put("/auth/enable", Route.unary(AuthEnableRequest.getDefaultInstance(), (q, http) -> h.auth().authEnable(q)));
    r.put("/auth/disable", Route.unary(AuthDisableRequest.getDefaultInstance(), (q, http) -> h.auth().authDisable(q)));
    r.put("/auth/authenticate", Route.unary(AuthenticateRequest.getDefaultInstance(), (q, http) -> h.auth().authenticate(q)));
    r.put("/auth/user/add", Route.unary(AuthUserAddRequest.getDefaultInstance(), (q, http) -> h.auth().userAdd(q)));
    r.put("/auth/user/get", Route.unary(AuthUserGetRequest.getDefaultInstance(), (q, http) -> h.auth().userGet(q)));
    r.put("/auth/user/list", Route.unary(AuthUserListRequest.getDefaultInstance(), (q, http) -> h.auth().userList(q)));
    r.put("/auth/user/delete", Route.unary(AuthUserDeleteRequest.getDefaultInstance(), (q, http) -> h.auth().userDelete(q)));
    r.put("/auth/user/changepw", Route.unary(AuthUserChangePasswordRequest.getDefaultInstance(),
        (q, http) -> h.auth().userChangePassword(q)));
    r.put("/auth/user/grant", Route.unary(AuthUserGrantRoleRequest.getDefaultInstance(), (q, http) -> h.auth().userGrantRole(q)));
    r.put("/auth/user/revoke", Route.unary(AuthUserRevokeRoleRequest.getDefaultInstance(), (q, http) -> h.auth().userRevokeRole(q)));
    r.put("/auth/role/add", Route.unary(AuthRoleAddRequest.getDefaultInstance(), (q, http) -> h.auth().roleAdd(q)));
    r.put("/auth/role/get", Route.unary(AuthRoleGetRequest.getDefaultInstance(), (q, http) -> h.auth().roleGet(q)));
    r.put("/auth/role/list", Route.unary(AuthRoleListRequest.getDefaultInstance(), (q, http) -> h.auth().roleList(q)));
    r.put("/auth/role/delete", Route.unary(AuthRoleDeleteRequest.getDefaultInstance(), (q, http) -> h.auth().roleDelete(q)));
    r.put("/auth/role/grant", Route.unary(AuthRoleGrantPermissionRequest.getDefaultInstance(),
        (q, http) -> h.auth().roleGrantPermission(q)));
    r.put("/auth/role/revoke", Route.unary(AuthRoleRevokePermissionRequest.getDefaultInstance(),
        (q, http) -> h.auth().roleRevokePermission(q)));

    r.put("/lock/lock", Route.unary(LockRequest.getDefaultInstance(),
        (q, http) -> h.lock().lock(q, abandoned(http), Vertx.currentContext())));
    r.put("/lock/unlock", Route.unary(UnlockRequest.getDefaultInstance(), (q, http) -> h.lock().unlock(q)));

    r.put("/election/campaign", Route.unary(CampaignRequest.getDefaultInstance(),
        (q, http) -> h.election().campaign(q, abandoned(http), Vertx.currentContext())));
    r.put("/election/proclaim", Route.unary(ProclaimRequest.getDefaultInstance(), (q, http) -> h.election().proclaim(q)));
    r.put("/election/leader", Route.unary(LeaderRequest.getDefaultInstance(), (q, http) -> h.election().leader(q)));
    r.put("/election/observe", Route.<LeaderRequest, LeaderResponse>serverStream(LeaderRequest.getDefaultInstance(),
        h.election()::observe));
    r.put("/election/resign", Route.unary(ResignRequest.getDefaultInstance(), (q, http) -> h.election().resign(q)));
    return Map.copyOf(r);
  }

  /** Completes when the HTTP client goes away before its answer: a waiting lock or campaign then withdraws. */
  private static CompletableFuture<Void> abandoned(HttpServerRequest http) {
    CompletableFuture<Void> gone = new CompletableFuture<>();
    http.response().closeHandler(v -> gone.complete(null));
    return gone;
  }
}
