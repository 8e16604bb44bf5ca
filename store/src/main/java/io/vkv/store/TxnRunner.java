package io.vkv.store;

import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.ResponseOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.etcdserverpb.TxnResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.lmdbjava.Txn;

/**
 * Runs a TxnRequest as etcd 3.4 does: first every compare, nested txns included, is evaluated against the state
 * before the txn (giving the branch taken at each level); then the chosen ops are checked (leases exist, keys
 * exist for ignore_value/ignore_lease, range revisions are neither compacted nor future) so that a failing txn
 * writes nothing; then the ops run in order, each seeing the earlier ones' writes, all under one main revision.
 */
final class TxnRunner {
  /** The branch chosen at one txn level, and the paths of the nested txns in that branch, in op order. */
  private record Path(boolean succeeded, List<Path> nested) {
    List<RequestOp> ops(TxnRequest r) {
      return succeeded ? r.getSuccessList() : r.getFailureList();
    }
  }

  private final RangeReader ranges;

  TxnRunner(RangeReader ranges) {
    this.ranges = ranges;
  }

  TxnResponse run(Txn<ByteBuffer> txn, EntryWriter w, TxnRequest r, long compacted, LongPredicate leaseExists) {
    Path path = choose(w, r);
    check(w, r, path, compacted, leaseExists);
    TxnResponse.Builder out = execute(txn, w, r, path, compacted);
    return out.setHeader(KvOps.header(w.viewRevision())).build();
  }

  /** etcd's isTxnReadonly: every op of both branches is a range (a nested txn counts as a write). */
  static boolean isReadOnly(TxnRequest r) {
    for (List<RequestOp> ops : List.of(r.getSuccessList(), r.getFailureList())) {
      for (RequestOp op : ops) if (!op.hasRequestRange()) return false;
    }
    return true;
  }

  static boolean hasPut(TxnRequest r) {
    for (List<RequestOp> ops : List.of(r.getSuccessList(), r.getFailureList())) {
      for (RequestOp op : ops) {
        if (op.hasRequestPut() || (op.hasRequestTxn() && hasPut(op.getRequestTxn()))) return true;
      }
    }
    return false;
  }

  private static Path choose(EntryWriter w, TxnRequest r) {
    boolean ok = CompareEvaluator.all(r.getCompareList(), w::liveRange);
    List<Path> nested = new ArrayList<>();
    for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
      if (op.hasRequestTxn()) nested.add(choose(w, op.getRequestTxn()));
    }
    return new Path(ok, nested);
  }

  private static void check(EntryWriter w, TxnRequest r, Path path, long compacted, LongPredicate leaseExists) {
    int n = 0;
    for (RequestOp op : path.ops(r)) {
      switch (op.getRequestCase()) {
        case REQUEST_PUT -> checkPut(w, op.getRequestPut(), leaseExists);
        case REQUEST_RANGE -> checkRange(w, op.getRequestRange(), compacted);
        case REQUEST_TXN -> check(w, op.getRequestTxn(), path.nested().get(n++), compacted, leaseExists);
        default -> { }
      }
    }
  }

  static void checkPut(EntryWriter w, PutRequest p, LongPredicate leaseExists) {
    if ((p.getIgnoreValue() || p.getIgnoreLease()) && w.get(p.getKey()) == null) {
      throw EtcdError.KEY_NOT_FOUND.exception();
    }
    if (p.getLease() != 0 && !leaseExists.test(p.getLease())) throw EtcdError.LEASE_NOT_FOUND.exception();
  }

  private static void checkRange(EntryWriter w, RangeRequest r, long compacted) {
    if (r.getRevision() <= 0) return;
    if (r.getRevision() > w.viewRevision()) throw EtcdError.FUTURE_REV.exception();
    if (r.getRevision() < compacted) throw EtcdError.COMPACTED.exception();
  }

  private TxnResponse.Builder execute(Txn<ByteBuffer> txn, EntryWriter w, TxnRequest r, Path path, long compacted) {
    TxnResponse.Builder out = TxnResponse.newBuilder().setSucceeded(path.succeeded());
    int n = 0;
    for (RequestOp op : path.ops(r)) {
      ResponseOp.Builder resp = ResponseOp.newBuilder();
      switch (op.getRequestCase()) {
        case REQUEST_RANGE -> resp.setResponseRange(ranges.range(txn, op.getRequestRange(), w.viewRevision(), compacted));
        case REQUEST_PUT -> resp.setResponsePut(KvOps.put(w, op.getRequestPut()));
        case REQUEST_DELETE_RANGE -> resp.setResponseDeleteRange(KvOps.delete(w, op.getRequestDeleteRange()));
        case REQUEST_TXN -> resp.setResponseTxn( // etcd leaves nested txn headers empty
            execute(txn, w, op.getRequestTxn(), path.nested().get(n++), compacted)
                .setHeader(io.vkv.api.etcdserverpb.ResponseHeader.getDefaultInstance()));
        default -> { }
      }
      out.addResponses(resp);
    }
    return out;
  }
}
