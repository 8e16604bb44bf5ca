package io.vkv.store;

import com.google.protobuf.ByteString;
import io.vkv.api.mvccpb.KeyValue;
import java.nio.ByteBuffer;
import java.util.List;
import org.lmdbjava.Txn;

/**
 * The live KeyValues of a key or a range at a revision: what reads at the head and compares are judged on. The key
 * index says which version of a key is live, {@code history} holds its content (the store keeps no second copy of
 * the latest versions, as etcd keeps none).
 */
final class LiveKeys {
  /** The revision the writer reads at: every version in the index, those of its own transaction included. */
  static final long WRITER = Long.MAX_VALUE;

  private LiveKeys() {}

  static KeyValue get(Tables tables, Txn<ByteBuffer> txn, long revision, ByteString key) {
    return get(tables, txn, revision, KeyCodec.encode(key.toByteArray()));
  }

  /** The key's KeyValue at the revision, or null if it did not exist then. */
  static KeyValue get(Tables tables, Txn<ByteBuffer> txn, long revision, byte[] encoded) {
    KeyIndex.Version v = tables.keyIndex.at(encoded, revision);
    return v == null || v.tombstone() ? null : HistoryReader.eventAt(tables, txn, v.main(), v.sub()).getKv();
  }

  static List<KeyValue> range(Tables tables, Txn<ByteBuffer> txn, long revision, KeyRange range) {
    if (range.isSingleKey()) {
      KeyValue kv = get(tables, txn, revision, range.start());
      return kv == null ? List.of() : List.of(kv);
    }
    try (VersionsAt src = new VersionsAt(tables, txn, revision)) {
      return KeyRangeScan.collect(src, range);
    }
  }
}
