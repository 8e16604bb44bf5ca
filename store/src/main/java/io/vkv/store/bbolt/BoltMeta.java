package io.vkv.store.bbolt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A bbolt meta page (pages 0 and 1): the one with the higher transaction id and a valid checksum is current.
 *
 * @param pageSize bytes per page
 * @param root the root bucket's root page (the root bucket holds the top-level buckets)
 * @param rootSequence the root bucket's sequence
 * @param freelist the freelist page, or {@link #NO_FREELIST} when the file keeps none (etcd's files don't)
 * @param highWater the first page id never allocated: the file holds pages [0, highWater)
 * @param txid the transaction that wrote this meta
 */
public record BoltMeta(int pageSize, int flags, long root, long rootSequence, long freelist, long highWater, long txid) {
  public static final int MAGIC = 0xED0CDAED;
  public static final int VERSION = 2;
  public static final long NO_FREELIST = -1L;
  /** magic, version, page size, flags (4 B each), root bucket (16 B), freelist, high water, txid (8 B each). */
  static final int CHECKSUMMED_BYTES = 56;

  /** Writes this meta as page {@code pageId} into {@code page} (at least one page, little-endian, from 0). */
  void encode(ByteBuffer page, long pageId) {
    page.order(ByteOrder.LITTLE_ENDIAN);
    page.putLong(BoltPage.ID, pageId).putShort(BoltPage.FLAGS, (short) BoltPage.META)
        .putShort(BoltPage.COUNT, (short) 0).putInt(BoltPage.OVERFLOW, 0);
    int m = BoltPage.HEADER;
    page.putInt(m, MAGIC).putInt(m + 4, VERSION).putInt(m + 8, pageSize).putInt(m + 12, flags)
        .putLong(m + 16, root).putLong(m + 24, rootSequence).putLong(m + 32, freelist)
        .putLong(m + 40, highWater).putLong(m + 48, txid);
    page.putLong(m + CHECKSUMMED_BYTES, Fnv64a.hash(page, m, CHECKSUMMED_BYTES));
  }

  /** Reads the meta of a page image; throws if it is not a valid bbolt meta page. */
  static BoltMeta decode(ByteBuffer page) throws BoltFormatException {
    page.order(ByteOrder.LITTLE_ENDIAN);
    int m = BoltPage.HEADER;
    if (page.limit() < m + CHECKSUMMED_BYTES + 8) throw new BoltFormatException("file too short for a bbolt meta page");
    if ((page.getShort(BoltPage.FLAGS) & BoltPage.META) == 0) throw new BoltFormatException("not a bbolt file (no meta page)");
    if (page.getInt(m) != MAGIC) throw new BoltFormatException("not a bbolt file (bad magic)");
    if (page.getInt(m + 4) != VERSION) {
      throw new BoltFormatException("unsupported bbolt format version " + page.getInt(m + 4) + " (expected " + VERSION + ")");
    }
    if (page.getLong(m + CHECKSUMMED_BYTES) != Fnv64a.hash(page, m, CHECKSUMMED_BYTES)) {
      throw new BoltFormatException("bbolt meta page checksum mismatch");
    }
    return new BoltMeta(page.getInt(m + 8), page.getInt(m + 12), page.getLong(m + 16), page.getLong(m + 24),
        page.getLong(m + 32), page.getLong(m + 40), page.getLong(m + 48));
  }

  /** The file's size as bbolt and etcd report it: every allocated page. */
  public long size() {
    return highWater * pageSize;
  }
}
