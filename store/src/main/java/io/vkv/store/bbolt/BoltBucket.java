package io.vkv.store.bbolt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Where a bucket's B+tree starts: a root page id, or (root 0) an inline leaf page carried in the parent's value.
 *
 * @param root the root page id, 0 for an inline bucket
 * @param sequence the bucket's sequence counter (bbolt's NextSequence)
 * @param inline the inline leaf page image, or null
 */
public record BoltBucket(long root, long sequence, ByteBuffer inline) {
  /** Parses a bucket header value (as stored under a bucket element's key). */
  static BoltBucket of(byte[] value) throws BoltFormatException {
    if (value.length < BoltPage.BUCKET_HEADER) throw new BoltFormatException("bucket header too short");
    ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    long root = b.getLong(0);
    if (root != 0) return new BoltBucket(root, b.getLong(8), null);
    if (value.length < BoltPage.BUCKET_HEADER + BoltPage.HEADER) throw new BoltFormatException("inline bucket too short");
    ByteBuffer page = b.slice(BoltPage.BUCKET_HEADER, value.length - BoltPage.BUCKET_HEADER).order(ByteOrder.LITTLE_ENDIAN);
    if ((page.getShort(BoltPage.FLAGS) & BoltPage.LEAF) == 0) throw new BoltFormatException("inline bucket is not a leaf");
    BoltReader.checkElements(page, 0);
    return new BoltBucket(0, b.getLong(8), page);
  }
}
