package io.vkv.node.fault;

import io.vertx.core.Future;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every version a key went through, read back from the store after a run by walking down from a revision:
 * {@code Range(key, revision = r)} gives the version current at r, its mod revision m, and the one before it is
 * current at m - 1. Works for keys the workloads never delete; the store is never compacted during a run.
 */
final class KeyHistory {
  private KeyHistory() {
  }

  /** The versions of {@code keys} with {@code from <= mod_revision <= to}, read from one member, keys in parallel. */
  static List<KeyVersion> read(KVGrpcClient kv, Collection<String> keys, long from, long to) throws Exception {
    List<Future<List<KeyVersion>>> walks = new ArrayList<>();
    for (String key : keys) walks.add(walk(kv, key, from, to, new ArrayList<>()));
    List<KeyVersion> all = new ArrayList<>();
    for (Future<List<KeyVersion>> w : walks) all.addAll(w.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS));
    return all;
  }

  private static Future<List<KeyVersion>> walk(KVGrpcClient kv, String key, long from, long at, List<KeyVersion> out) {
    if (at < from) return Future.succeededFuture(out);
    return kv.range(RangeRequest.newBuilder().setKey(WatchWorkload.bytes(key)).setRevision(at).setSerializable(true).build())
        .compose(r -> {
          if (r.getKvsCount() == 0) return Future.succeededFuture(out);
          KeyValue v = r.getKvs(0);
          if (v.getModRevision() < from) return Future.succeededFuture(out);
          out.add(0, new KeyVersion(key, v.getModRevision(), v.getCreateRevision(), v.getValue().toStringUtf8()));
          return walk(kv, key, from, v.getModRevision() - 1, out);
        });
  }
}
