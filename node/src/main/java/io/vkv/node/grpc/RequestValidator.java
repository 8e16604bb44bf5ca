package io.vkv.node.grpc;

import com.google.protobuf.ByteString;
import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.DeleteRangeRequest;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks etcd makes before a request reaches consensus, with etcd's errors: empty keys, contradictory put
 * flags, oversized transactions and transactions that write one key twice.
 */
public final class RequestValidator {
  private final int maxTxnOps;

  public RequestValidator(int maxTxnOps) {
    this.maxTxnOps = maxTxnOps;
  }

  public void checkRange(RangeRequest r) {
    if (r.getKey().isEmpty()) throw EtcdError.EMPTY_KEY.exception();
  }

  public void checkPut(PutRequest r) {
    if (r.getKey().isEmpty()) throw EtcdError.EMPTY_KEY.exception();
    if (r.getIgnoreValue() && !r.getValue().isEmpty()) throw EtcdError.VALUE_PROVIDED.exception();
    if (r.getIgnoreLease() && r.getLease() != 0) throw EtcdError.LEASE_PROVIDED.exception();
  }

  public void checkDelete(DeleteRangeRequest r) {
    if (r.getKey().isEmpty()) throw EtcdError.EMPTY_KEY.exception();
  }

  public void checkTxn(TxnRequest txn) {
    checkTxn(txn, maxTxnOps);
    writesOf(txn.getSuccessList());
    writesOf(txn.getFailureList());
  }

  /** Like etcd, a nested txn may only use the operation budget its parent left over. */
  private void checkTxn(TxnRequest txn, int budget) {
    int ops = Math.max(txn.getCompareCount(), Math.max(txn.getSuccessCount(), txn.getFailureCount()));
    if (ops > budget) throw EtcdError.TOO_MANY_OPS.exception();
    for (var c : txn.getCompareList()) {
      if (c.getKey().isEmpty()) throw EtcdError.EMPTY_KEY.exception();
    }
    checkOps(txn.getSuccessList(), budget - ops);
    checkOps(txn.getFailureList(), budget - ops);
  }

  private void checkOps(List<RequestOp> ops, int nestedBudget) {
    for (RequestOp op : ops) {
      switch (op.getRequestCase()) {
        case REQUEST_RANGE -> checkRange(op.getRequestRange());
        case REQUEST_PUT -> checkPut(op.getRequestPut());
        case REQUEST_DELETE_RANGE -> checkDelete(op.getRequestDeleteRange());
        case REQUEST_TXN -> checkTxn(op.getRequestTxn(), nestedBudget);
        case REQUEST_NOT_SET -> { } // an empty op does nothing, as in etcd
      }
    }
  }

  /** The keys a branch puts and the ranges it deletes; a key written twice in one branch is an error. */
  private record Writes(Set<ByteString> puts, List<ByteString[]> deletes) {}

  private static Writes writesOf(List<RequestOp> ops) {
    Set<ByteString> puts = new HashSet<>();
    List<ByteString[]> deletes = new ArrayList<>();
    for (RequestOp op : ops) {
      switch (op.getRequestCase()) {
        case REQUEST_PUT -> {
          if (!puts.add(op.getRequestPut().getKey())) throw EtcdError.DUPLICATE_KEY.exception();
        }
        case REQUEST_DELETE_RANGE -> deletes.add(new ByteString[] {
            op.getRequestDeleteRange().getKey(), op.getRequestDeleteRange().getRangeEnd()});
        case REQUEST_TXN -> {
          // only one of a nested txn's branches runs, so each is checked against the outer writes on its own
          Set<ByteString> nestedPuts = new HashSet<>();
          for (Writes branch : List.of(writesOf(op.getRequestTxn().getSuccessList()),
              writesOf(op.getRequestTxn().getFailureList()))) {
            for (ByteString k : branch.puts()) {
              if (puts.contains(k)) throw EtcdError.DUPLICATE_KEY.exception();
              nestedPuts.add(k);
            }
            deletes.addAll(branch.deletes());
          }
          puts.addAll(nestedPuts);
        }
        default -> { }
      }
    }
    for (ByteString[] d : deletes) {
      for (ByteString k : puts) {
        if (KeyRanges.contains(d[0], d[1], k)) throw EtcdError.DUPLICATE_KEY.exception();
      }
    }
    return new Writes(puts, deletes);
  }
}
