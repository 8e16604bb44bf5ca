package io.vkv.store;

import com.google.protobuf.ByteString;

/**
 * A request's key span in etcd's terms, resolved to [start, end): an empty range_end means the single key,
 * range_end "\0" means every key >= key (end == null), anything else is the half-open interval.
 */
record KeyRange(ByteString start, ByteString end) {
  static KeyRange of(ByteString key, ByteString rangeEnd) {
    if (rangeEnd.isEmpty()) return new KeyRange(key, key.concat(ByteString.copyFrom(new byte[1])));
    if (rangeEnd.size() == 1 && rangeEnd.byteAt(0) == 0) return new KeyRange(key, null);
    return new KeyRange(key, rangeEnd);
  }

  boolean isSingleKey() {
    return end != null && end.size() == start.size() + 1 && end.byteAt(start.size()) == 0 && end.startsWith(start);
  }
}
