package io.vkv.store;

import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.DeleteRangeRequest;
import io.vkv.api.etcdserverpb.DeleteRangeResponse;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.PutResponse;
import io.vkv.api.etcdserverpb.ResponseHeader;
import io.vkv.api.mvccpb.KeyValue;
import java.util.List;

/**
 * Put and DeleteRange against an {@link EntryWriter}, standalone or inside a txn. Header revisions follow etcd:
 * a put reports the entry's revision, a delete reports it only if something was written.
 */
final class KvOps {
  private KvOps() {}

  static PutResponse put(EntryWriter w, PutRequest p) {
    KeyValue prev = w.get(p.getKey());
    if ((p.getIgnoreValue() || p.getIgnoreLease()) && prev == null) throw EtcdError.KEY_NOT_FOUND.exception();
    KeyValue kv = w.put(
        p.getKey(),
        p.getIgnoreValue() ? prev.getValue() : p.getValue(),
        p.getIgnoreLease() ? prev.getLease() : p.getLease(),
        prev);
    PutResponse.Builder out = PutResponse.newBuilder().setHeader(header(kv.getModRevision()));
    if (p.getPrevKv() && prev != null) out.setPrevKv(prev);
    return out.build();
  }

  static DeleteRangeResponse delete(EntryWriter w, DeleteRangeRequest d) {
    List<KeyValue> doomed = w.liveRange(KeyRange.of(d.getKey(), d.getRangeEnd()));
    for (KeyValue kv : doomed) w.delete(kv);
    DeleteRangeResponse.Builder out = DeleteRangeResponse.newBuilder()
        .setHeader(header(w.viewRevision()))
        .setDeleted(doomed.size());
    if (d.getPrevKv()) out.addAllPrevKvs(doomed);
    return out.build();
  }

  static ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder().setRevision(revision).build();
  }
}
