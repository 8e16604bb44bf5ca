package io.vkv.node.grpc;

import com.google.protobuf.ByteString;

/** etcd's key-range conventions: an empty end means one key, "\0" means every key from the start onwards. */
final class KeyRanges {
  static boolean contains(ByteString key, ByteString rangeEnd, ByteString candidate) {
    if (rangeEnd.isEmpty()) return key.equals(candidate);
    int fromStart = ByteString.unsignedLexicographicalComparator().compare(candidate, key);
    if (fromStart < 0) return false;
    if (rangeEnd.size() == 1 && rangeEnd.byteAt(0) == 0) return true;
    return ByteString.unsignedLexicographicalComparator().compare(candidate, rangeEnd) < 0;
  }

  private KeyRanges() {}
}
