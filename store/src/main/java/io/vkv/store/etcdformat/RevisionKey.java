package io.vkv.store.etcdformat;

import java.nio.ByteBuffer;

/**
 * etcd's revision keys in the {@code key} bucket: main revision (8 bytes big-endian), '_', sub revision (8 bytes
 * big-endian), and a trailing 't' on a tombstone; big-endian so the bucket's byte order is revision order.
 * The compaction revisions in {@code meta} use the same 17-byte form with sub revision 0.
 */
public record RevisionKey(long main, long sub, boolean tombstone) {
  static final int LENGTH = 17;
  private static final byte SEPARATOR = '_';
  private static final byte TOMBSTONE = 't';

  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(tombstone ? LENGTH + 1 : LENGTH).putLong(main).put(SEPARATOR).putLong(sub);
    if (tombstone) b.put(TOMBSTONE);
    return b.array();
  }

  public static RevisionKey decode(byte[] key) {
    boolean tombstone = key.length == LENGTH + 1 && key[LENGTH] == TOMBSTONE;
    if ((key.length != LENGTH && !tombstone) || key[8] != SEPARATOR) {
      throw new IllegalArgumentException("not an etcd revision key (" + key.length + " bytes)");
    }
    ByteBuffer b = ByteBuffer.wrap(key);
    return new RevisionKey(b.getLong(0), b.getLong(9), tombstone);
  }
}
