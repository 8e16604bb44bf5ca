package io.vkv.store;

import com.google.protobuf.ByteString;
import io.vkv.api.mvccpb.KeyValue;
import java.nio.ByteBuffer;
import java.util.List;
import org.lmdbjava.Txn;

/** The live (current) versions of a key or a range, as one LMDB transaction sees them: what compares are judged on. */
final class LiveKeys {
  private LiveKeys() {}

  static KeyValue get(Tables tables, Txn<ByteBuffer> txn, ByteString key) {
    ByteBuffer stored = tables.current.get(txn, Scratch.key(KeyCodec.encode(key.toByteArray())));
    return stored == null ? null : CurrentVersions.parse(stored);
  }

  static List<KeyValue> range(Tables tables, Txn<ByteBuffer> txn, KeyRange range) {
    if (range.isSingleKey()) {
      KeyValue kv = get(tables, txn, range.start());
      return kv == null ? List.of() : List.of(kv);
    }
    try (CurrentVersions src = new CurrentVersions(tables, txn)) {
      return KeyRangeScan.collect(src, range);
    }
  }
}
