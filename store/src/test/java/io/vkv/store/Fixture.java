package io.vkv.store;

import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import io.vkv.api.etcdserverpb.CompactionRequest;
import io.vkv.api.etcdserverpb.Compare;
import io.vkv.api.etcdserverpb.DeleteRangeRequest;
import io.vkv.api.etcdserverpb.LeaseGrantRequest;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.internal.InternalRequest;
import io.vkv.api.mvccpb.KeyValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A store in a temp dir plus builders for the requests the tests apply. */
final class Fixture implements AutoCloseable {
  static final long LEASE = 7;
  final Path dir;
  MvccStore store;
  long nextIndex = 1;

  Fixture(Path dir) {
    this(dir, 0);
  }

  Fixture(Path dir, long quota) {
    this.dir = dir;
    this.store = MvccStore.open(new StoreConfig(dir, quota));
  }

  void reopen() {
    store.close();
    store = MvccStore.open(new StoreConfig(dir, 0));
  }

  /** Grants {@link #LEASE} (TTL 60) through a log entry, as the lease service would. */
  Fixture grantLease() {
    ok(InternalRequest.newBuilder().setLeaseGrant(LeaseGrantRequest.newBuilder().setID(LEASE).setTTL(60)).build());
    return this;
  }

  ApplyResult apply(InternalRequest r) {
    return applyAll(r).get(0);
  }

  ApplyResult ok(InternalRequest r) {
    ApplyResult res = apply(r);
    assertNull(res.error(), () -> "unexpected error " + res.error());
    return res;
  }

  List<ApplyResult> applyAll(InternalRequest... rs) {
    List<LogEntry> batch = new ArrayList<>();
    for (InternalRequest r : rs) batch.add(new LogEntry(nextIndex++, r.toBuilder().setId(nextIndex * 10).build()));
    return store.apply(batch);
  }

  RangeResponse range(RangeRequest r) {
    return store.range(r);
  }

  RangeResponse get(String key) {
    return store.range(RangeRequest.newBuilder().setKey(bs(key)).build());
  }

  KeyValue kv(String key) {
    RangeResponse r = get(key);
    return r.getKvsCount() == 0 ? null : r.getKvs(0);
  }

  List<String> keys(RangeRequest r) {
    return keys(store.range(r).getKvsList());
  }

  static List<String> keys(List<KeyValue> kvs) {
    List<String> out = new ArrayList<>();
    for (KeyValue kv : kvs) out.add(kv.getKey().toStringUtf8());
    return out;
  }

  static ByteString bs(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  static PutRequest.Builder putReq(String k, String v) {
    return PutRequest.newBuilder().setKey(bs(k)).setValue(bs(v));
  }

  static InternalRequest put(String k, String v) {
    return put(putReq(k, v));
  }

  static InternalRequest put(PutRequest.Builder p) {
    return InternalRequest.newBuilder().setPut(p).build();
  }

  static InternalRequest del(String k, String end) {
    return InternalRequest.newBuilder()
        .setDeleteRange(DeleteRangeRequest.newBuilder().setKey(bs(k)).setRangeEnd(bs(end)).setPrevKv(true))
        .build();
  }

  static InternalRequest txn(TxnRequest.Builder t) {
    return InternalRequest.newBuilder().setTxn(t).build();
  }

  static InternalRequest compact(long rev) {
    return InternalRequest.newBuilder().setCompaction(CompactionRequest.newBuilder().setRevision(rev)).build();
  }

  static RangeRequest.Builder rangeReq(String k, String end) {
    return RangeRequest.newBuilder().setKey(bs(k)).setRangeEnd(bs(end));
  }

  static RequestOp putOp(String k, String v) {
    return RequestOp.newBuilder().setRequestPut(putReq(k, v)).build();
  }

  static RequestOp getOp(String k) {
    return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bs(k))).build();
  }

  static RequestOp delOp(String k) {
    return RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(bs(k))).build();
  }

  static Compare.Builder cmp(String key, Compare.CompareTarget target, Compare.CompareResult result) {
    return Compare.newBuilder().setKey(bs(key)).setTarget(target).setResult(result);
  }

  @Override
  public void close() {
    store.close();
  }
}
