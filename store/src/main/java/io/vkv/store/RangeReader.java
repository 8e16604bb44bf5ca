package io.vkv.store;

import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.api.etcdserverpb.ResponseHeader;
import io.vkv.api.mvccpb.KeyValue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.lmdbjava.Txn;

/**
 * Answers a RangeRequest inside an LMDB transaction with etcd 3.4's semantics: count is the number of keys in
 * the range before limit and before the min/max revision filters; a sort target other than KEY with order NONE
 * sorts ascending; limit truncates after filtering and sorting and sets more.
 */
final class RangeReader {
  private final Tables tables;

  RangeReader(Tables tables) {
    this.tables = tables;
  }

  /**
   * @param viewRevision the latest revision {@code txn} sees (the header revision)
   * @param compacted the compacted revision: reads below it fail
   */
  RangeResponse range(Txn<ByteBuffer> txn, RangeRequest r, long viewRevision, long compacted) {
    long rev = r.getRevision() <= 0 ? viewRevision : r.getRevision();
    if (rev > viewRevision) throw EtcdError.FUTURE_REV.exception();
    if (rev < compacted) throw EtcdError.COMPACTED.exception();
    KeyRange span = KeyRange.of(r.getKey(), r.getRangeEnd());
    RangeResponse.Builder out = RangeResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setRevision(viewRevision));

    RangeResponse answer = span.isSingleKey() ? single(txn, r, rev, out) : scan(txn, r, rev, span, out);
    // a compaction committed meanwhile may have dropped versions a read below it needed from the index
    if (rev < viewRevision && rev < tables.keyIndex.compactedThrough()) throw EtcdError.COMPACTED.exception();
    return answer;
  }

  private RangeResponse scan(Txn<ByteBuffer> txn, RangeRequest r, long rev, KeyRange span, RangeResponse.Builder out) {
    boolean filtered = r.getMinModRevision() != 0 || r.getMaxModRevision() != 0
        || r.getMinCreateRevision() != 0 || r.getMaxCreateRevision() != 0;
    boolean sorted = effectiveOrder(r) != RangeRequest.SortOrder.NONE;
    // without sort or filters the scan only needs limit+1 values (the extra one decides `more`)
    long cap = r.getCountOnly() ? 0 : (r.getLimit() > 0 && !filtered && !sorted ? r.getLimit() + 1 : Long.MAX_VALUE);
    List<KeyValue> kvs = new ArrayList<>();
    long[] count = {0};
    try (VersionSource src = new VersionsAt(tables, txn, rev)) {
      KeyRangeScan.scan(src, span, f -> {
        count[0]++;
        if (kvs.size() < cap) kvs.add(f.kv());
        return true;
      });
    }
    out.setCount(count[0]);
    if (r.getCountOnly()) return out.build();
    return finish(r, kvs, filtered, out);
  }

  private RangeResponse single(Txn<ByteBuffer> txn, RangeRequest r, long rev, RangeResponse.Builder out) {
    KeyValue kv = LiveKeys.get(tables, txn, rev, r.getKey());
    if (kv == null) return out.setCount(0).build();
    out.setCount(1);
    if (r.getCountOnly()) return out.build();
    List<KeyValue> kvs = new ArrayList<>(1);
    kvs.add(kv);
    return finish(r, kvs, true, out);
  }

  private static RangeResponse finish(RangeRequest r, List<KeyValue> kvs, boolean filtered, RangeResponse.Builder out) {
    if (filtered) kvs.removeIf(kv -> !passes(r, kv));
    RangeRequest.SortOrder order = effectiveOrder(r);
    if (order != RangeRequest.SortOrder.NONE) {
      Comparator<KeyValue> c = KvOrder.ascending(r.getSortTarget());
      kvs.sort(order == RangeRequest.SortOrder.DESCEND ? c.reversed() : c); // stable: ties stay in key order
    }
    int n = kvs.size();
    if (r.getLimit() > 0 && n > r.getLimit()) {
      n = (int) r.getLimit();
      out.setMore(true);
    }
    for (int i = 0; i < n; i++) {
      KeyValue kv = kvs.get(i);
      out.addKvs(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
    }
    return out.build();
  }

  private static boolean passes(RangeRequest r, KeyValue kv) {
    return (r.getMaxModRevision() == 0 || kv.getModRevision() <= r.getMaxModRevision())
        && (r.getMinModRevision() == 0 || kv.getModRevision() >= r.getMinModRevision())
        && (r.getMaxCreateRevision() == 0 || kv.getCreateRevision() <= r.getMaxCreateRevision())
        && (r.getMinCreateRevision() == 0 || kv.getCreateRevision() >= r.getMinCreateRevision());
  }

  /** etcd 3.4: ascending by default when the target is not KEY; KEY with NONE/ASCEND is the scan order. */
  private static RangeRequest.SortOrder effectiveOrder(RangeRequest r) {
    RangeRequest.SortOrder order = r.getSortOrder();
    if (order == RangeRequest.SortOrder.UNRECOGNIZED) order = RangeRequest.SortOrder.NONE;
    boolean keyTarget = r.getSortTarget() == RangeRequest.SortTarget.KEY;
    if (keyTarget && order == RangeRequest.SortOrder.ASCEND) return RangeRequest.SortOrder.NONE;
    if (!keyTarget && order == RangeRequest.SortOrder.NONE) return RangeRequest.SortOrder.ASCEND;
    return order;
  }
}
