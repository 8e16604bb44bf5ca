package io.vkv.node.grpc;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.AlarmMember;
import io.vkv.api.etcdserverpb.AlarmRequest;
import io.vkv.api.etcdserverpb.AlarmType;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.internal.InternalRequest;
import java.util.List;

/**
 * etcd's quota check in front of Put, Txn and LeaseGrant (v3rpc/quota.go): a request whose estimated cost would take
 * the data file to the quota is refused before it is proposed, and this member raises the NOSPACE alarm through
 * the log first, so that once the client sees the error every member lists the alarm. The alarm itself is what
 * refuses growing requests everywhere (applied in the store), also after the file shrank, until it is disarmed.
 */
final class SpaceQuota {
  /** etcd's estimates (etcdserver/quota.go): a key's metadata, and a lease. */
  private static final int KV_OVERHEAD = 256;
  private static final int LEASE_OVERHEAD = 64;

  static long cost(PutRequest p) {
    return KV_OVERHEAD + p.getKey().size() + p.getValue().size();
  }

  /** The costlier branch's puts (nested txns are not counted, as in etcd). */
  static long cost(TxnRequest t) {
    return Math.max(puts(t.getSuccessList()), puts(t.getFailureList()));
  }

  static long leaseCost() {
    return LEASE_OVERHEAD;
  }

  private static long puts(List<RequestOp> ops) {
    long sum = 0;
    for (RequestOp op : ops) if (op.hasRequestPut()) sum += cost(op.getRequestPut());
    return sum;
  }

  /** Succeeds if the request fits; else fails with NO_SPACE once the alarm is raised (or raising it failed). */
  static Future<Void> check(ServerContext server, long cost, Context context) {
    var store = server.store();
    if (store.dbSize() + cost < store.quotaBytes()) return Future.succeededFuture();
    Future<Void> noSpace = Future.failedFuture(GrpcErrors.toStatus(EtcdError.NO_SPACE.exception()));
    AlarmMember mine = AlarmMember.newBuilder().setMemberID(server.membership().localId())
        .setAlarm(AlarmType.NOSPACE).build();
    if (store.alarms().contains(mine)) return noSpace;
    InternalRequest raise = InternalRequest.newBuilder().setAlarm(AlarmRequest.newBuilder()
        .setAction(AlarmRequest.AlarmAction.ACTIVATE).setMemberID(mine.getMemberID()).setAlarm(AlarmType.NOSPACE))
        .build();
    return Future.fromCompletionStage(server.proposer().propose(raise), context).transform(ar -> noSpace);
  }

  private SpaceQuota() {}
}
