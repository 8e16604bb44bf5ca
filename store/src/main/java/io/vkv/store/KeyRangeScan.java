package io.vkv.store;

import com.google.protobuf.ByteString;
import io.vkv.api.mvccpb.KeyValue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Walks the live keys of a {@link KeyRange} in user-key order. Short keys are bounded by comparing encodings
 * (no value is parsed unless the visitor asks); a group of long keys sharing a prefix is read whole, sorted by
 * full key and bounded by full-key comparisons (see {@link KeyCodec}).
 */
final class KeyRangeScan {
  static final Comparator<ByteString> KEY_ORDER = ByteString.unsignedLexicographicalComparator();

  /** Receives each key in order; return false to stop the scan. */
  interface Visitor {
    boolean visit(Found found);
  }

  /** The key under the scan: its KeyValue is parsed only when asked for. */
  static final class Found {
    private VersionSource source;
    private KeyValue parsed;

    KeyValue kv() {
      if (parsed == null) parsed = source.value();
      return parsed;
    }

    private Found at(VersionSource s) {
      source = s;
      parsed = null;
      return this;
    }

    private Found of(KeyValue kv) {
      source = null;
      parsed = kv;
      return this;
    }
  }

  private KeyRangeScan() {}

  static void scan(VersionSource src, KeyRange range, Visitor visitor) {
    byte[] endSeek = range.end() == null ? null : KeyCodec.seekStart(range.end().toByteArray());
    Found found = new Found();
    boolean has = src.seek(KeyCodec.seekStart(range.start().toByteArray()));
    while (has) {
      if (!src.isLongKey()) {
        if (endSeek != null && src.compareKey(endSeek) >= 0) return;
        if (src.live() && !visitor.visit(found.at(src))) return;
        has = src.next();
        continue;
      }
      int prefixLen = KeyCodec.groupPrefixLength(src.keyLength());
      byte[] prefix = Bytes.copy(src.keyBuffer(), src.keyOffset(), prefixLen);
      if (endSeek != null && Bytes.compare(ByteBuffer.wrap(prefix), 0, prefixLen, endSeek) > 0) return;
      List<KeyValue> members = new ArrayList<>();
      do {
        if (src.live()) members.add(src.value());
        has = src.next();
      } while (has && src.isLongKey() && src.keyLength() == prefixLen + KeyCodec.HASH_LEN + 1
          && Bytes.startsWith(src.keyBuffer(), src.keyOffset(), src.keyLength(), prefix));
      members.sort((a, b) -> KEY_ORDER.compare(a.getKey(), b.getKey()));
      for (KeyValue kv : members) {
        if (KEY_ORDER.compare(kv.getKey(), range.start()) < 0) continue;
        if (range.end() != null && KEY_ORDER.compare(kv.getKey(), range.end()) >= 0) return;
        if (!visitor.visit(found.of(kv))) return;
      }
    }
  }

  /** Every live KeyValue in the range, in key order. */
  static List<KeyValue> collect(VersionSource src, KeyRange range) {
    List<KeyValue> out = new ArrayList<>();
    scan(src, range, f -> out.add(f.kv()));
    return out;
  }
}
