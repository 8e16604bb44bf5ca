package io.vkv.store;

import com.google.protobuf.ByteString;
import io.vkv.api.etcdserverpb.Compare;
import io.vkv.api.etcdserverpb.DeleteRangeRequest;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.internal.InternalRequest;
import io.vkv.api.internal.RequestHeader;
import io.vkv.api.mvccpb.KeyValue;
import java.nio.ByteBuffer;
import org.lmdbjava.Txn;

/**
 * Permission checks of a client's write as it applies, against the auth state of that point in the log (etcd's
 * authApplierV3): the same entry is allowed or refused identically on every member. Entries without a header are
 * the server's own (lease expiry, checkpoints) and are never checked.
 */
final class AuthChecks {
  static void check(Tables t, Txn<ByteBuffer> txn, InternalRequest r, AuthState auth) {
    if (!auth.enabled() || !r.hasHeader()) return;
    RequestHeader who = r.getHeader();
    switch (r.getRequestCase()) {
      case PUT -> put(t, txn, who, r.getPut(), auth);
      case DELETE_RANGE -> delete(who, r.getDeleteRange(), auth);
      case TXN -> txn(t, txn, who, r.getTxn(), auth);
      case LEASE_REVOKE -> leaseKeys(t, txn, who, r.getLeaseRevoke().getID(), auth);
      default -> {
        if (AuthOps.isAuthEntry(r)) auth.checkAdmin(who);
        // compaction, lease grant and Authenticate are not permission-checked in etcd 3.4
      }
    }
  }

  private static void put(Tables t, Txn<ByteBuffer> txn, RequestHeader who, PutRequest p, AuthState auth) {
    auth.checkWrite(who, p.getKey(), ByteString.EMPTY);
    // attaching a lease whose keys the user may not write would let them revoke (delete) those keys
    if (p.getLease() != 0) leaseKeys(t, txn, who, p.getLease(), auth);
    if (p.getPrevKv()) auth.checkRead(who, p.getKey(), ByteString.EMPTY);
  }

  private static void delete(RequestHeader who, DeleteRangeRequest d, AuthState auth) {
    auth.checkWrite(who, d.getKey(), d.getRangeEnd());
    if (d.getPrevKv()) auth.checkRead(who, d.getKey(), d.getRangeEnd());
  }

  /** Both branches and every compare, whatever the compares will decide (etcd). */
  private static void txn(Tables t, Txn<ByteBuffer> txn, RequestHeader who, TxnRequest x, AuthState auth) {
    for (Compare c : x.getCompareList()) auth.checkRead(who, c.getKey(), c.getRangeEnd());
    for (RequestOp op : x.getSuccessList()) op(t, txn, who, op, auth);
    for (RequestOp op : x.getFailureList()) op(t, txn, who, op, auth);
  }

  private static void op(Tables t, Txn<ByteBuffer> txn, RequestHeader who, RequestOp op, AuthState auth) {
    switch (op.getRequestCase()) {
      case REQUEST_RANGE -> auth.checkRead(who, op.getRequestRange().getKey(), op.getRequestRange().getRangeEnd());
      case REQUEST_PUT -> put(t, txn, who, op.getRequestPut(), auth);
      case REQUEST_DELETE_RANGE -> delete(who, op.getRequestDeleteRange(), auth);
      case REQUEST_TXN -> txn(t, txn, who, op.getRequestTxn(), auth);
      default -> { }
    }
  }

  private static void leaseKeys(Tables t, Txn<ByteBuffer> txn, RequestHeader who, long lease, AuthState auth) {
    for (KeyValue kv : LeaseTable.keys(t, txn, LiveKeys.WRITER, lease)) auth.checkWrite(who, kv.getKey(), ByteString.EMPTY);
  }

  private AuthChecks() {}
}
