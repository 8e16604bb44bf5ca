package io.vkv.store.bbolt;

/**
 * bbolt's page layout, little-endian as bbolt writes it on x86 and ARM: a 16-byte header (page id u64, flags u16,
 * element count u16, overflow page count u32) followed by 16-byte elements and then the keys and values they point at.
 * A branch element is (pos u32, key size u32, child page id u64); a leaf element is (flags u32, pos u32, key size u32,
 * value size u32); pos counts from the element's own start.
 */
final class BoltPage {
  static final int HEADER = 16;
  static final int ELEMENT = 16;
  static final int BRANCH = 0x01;
  static final int LEAF = 0x02;
  static final int META = 0x04;
  static final int FREELIST = 0x10;
  /** A leaf element whose value is a nested bucket's header. */
  static final int BUCKET_ELEMENT = 0x01;
  /** A bucket's header (root page id u64, sequence u64); root 0 means the bucket's only leaf page follows inline. */
  static final int BUCKET_HEADER = 16;
  /** A freelist page whose count field holds this keeps the real count in its first u64. */
  static final int FREELIST_COUNT_OVERFLOW = 0xFFFF;

  // header field offsets
  static final int ID = 0;
  static final int FLAGS = 8;
  static final int COUNT = 10;
  static final int OVERFLOW = 12;

  private BoltPage() {}
}
