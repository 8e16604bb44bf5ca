package io.vkv.store.bbolt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds one bucket's B+tree bottom-up from keys given in ascending order: leaf pages are written as they fill;
 * only the current leaf and one (first key, page id) pair per written page stay in memory. A small bucket without
 * nested buckets becomes inline, as bbolt stores it (its leaf inside the parent's value, up to a quarter page).
 */
final class BucketBuilder {
  private final PageSink sink;
  private final boolean mayInline;
  private final List<byte[]> keys = new ArrayList<>();
  private final List<byte[]> values = new ArrayList<>();
  private final List<Boolean> nested = new ArrayList<>();
  /** Header plus elements plus data of the current leaf. */
  private long leafBytes = BoltPage.HEADER;
  private boolean hasNested;
  private byte[] lastKey;
  /** The written leaf pages: first key and page id. */
  private final List<byte[]> childKeys = new ArrayList<>();
  private final List<Long> childPages = new ArrayList<>();
  private long entries;

  BucketBuilder(PageSink sink, boolean mayInline) {
    this.sink = sink;
    this.mayInline = mayInline;
  }

  void add(byte[] key, byte[] value, boolean bucket) throws IOException {
    if (key.length == 0) throw new IllegalArgumentException("bbolt keys may not be empty");
    if (lastKey != null && Arrays.compareUnsigned(lastKey, key) >= 0) {
      throw new IllegalArgumentException("keys must be added in strictly ascending order");
    }
    long size = BoltPage.ELEMENT + (long) key.length + value.length;
    if (!keys.isEmpty() && (leafBytes + size > sink.pageSize || keys.size() == 0xFFFF)) flushLeaf();
    keys.add(key);
    values.add(value);
    nested.add(bucket);
    leafBytes += size;
    hasNested |= bucket;
    lastKey = key;
    entries++;
  }

  long entries() {
    return entries;
  }

  /** Finishes the tree and returns the bucket's header value (with its leaf inline when it is small). */
  byte[] finish() throws IOException {
    if (mayInline && childPages.isEmpty() && !hasNested && leafBytes <= sink.pageSize / 4) {
      ByteBuffer v = ByteBuffer.allocate((int) (BoltPage.BUCKET_HEADER + leafBytes)).order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer page = v.slice(BoltPage.BUCKET_HEADER, (int) leafBytes).order(ByteOrder.LITTLE_ENDIAN);
      fillLeaf(page);
      page.putLong(BoltPage.ID, 0).putShort(BoltPage.FLAGS, (short) BoltPage.LEAF)
          .putShort(BoltPage.COUNT, (short) keys.size()).putInt(BoltPage.OVERFLOW, 0);
      return v.array(); // header: root 0, sequence 0
    }
    if (!keys.isEmpty() || childPages.isEmpty()) flushLeaf(); // an empty bucket still has a root leaf
    long root = buildBranches(childKeys, childPages);
    ByteBuffer header = ByteBuffer.allocate(BoltPage.BUCKET_HEADER).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(0, root).putLong(8, 0);
    return header.array();
  }


  private long buildBranches(List<byte[]> levelKeys, List<Long> levelPages) throws IOException {
    while (levelPages.size() > 1) {
      List<byte[]> upKeys = new ArrayList<>();
      List<Long> upPages = new ArrayList<>();
      int from = 0;
      while (from < levelPages.size()) {
        int to = from;
        long bytes = BoltPage.HEADER;
        while (to < levelPages.size() && to - from < 0xFFFF
            && (to == from || bytes + BoltPage.ELEMENT + levelKeys.get(to).length <= sink.pageSize)) {
          bytes += BoltPage.ELEMENT + levelKeys.get(to).length;
          to++;
        }
        upKeys.add(levelKeys.get(from));
        upPages.add(writeBranch(levelKeys.subList(from, to), levelPages.subList(from, to), bytes));
        from = to;
      }
      levelKeys = upKeys;
      levelPages = upPages;
    }
    return levelPages.get(0);
  }

  private long writeBranch(List<byte[]> ks, List<Long> pages, long bytes) throws IOException {
    ByteBuffer page = sink.allocate(bytes);
    int data = BoltPage.HEADER + ks.size() * BoltPage.ELEMENT;
    for (int i = 0; i < ks.size(); i++) {
      int e = BoltPage.HEADER + i * BoltPage.ELEMENT;
      page.putInt(e, data - e).putInt(e + 4, ks.get(i).length).putLong(e + 8, pages.get(i));
      page.put(data, ks.get(i));
      data += ks.get(i).length;
    }
    return sink.write(page, BoltPage.BRANCH, ks.size());
  }

  private void flushLeaf() throws IOException {
    ByteBuffer page = sink.allocate(leafBytes);
    fillLeaf(page);
    long id = sink.write(page, BoltPage.LEAF, keys.size());
    childKeys.add(keys.isEmpty() ? new byte[0] : keys.get(0));
    childPages.add(id);
    keys.clear();
    values.clear();
    nested.clear();
    leafBytes = BoltPage.HEADER;
  }

  /** Writes the current entries as leaf elements and data after the (unfilled) header. */
  private void fillLeaf(ByteBuffer page) {
    int data = BoltPage.HEADER + keys.size() * BoltPage.ELEMENT;
    for (int i = 0; i < keys.size(); i++) {
      int e = BoltPage.HEADER + i * BoltPage.ELEMENT;
      byte[] k = keys.get(i);
      byte[] v = values.get(i);
      page.putInt(e, nested.get(i) ? BoltPage.BUCKET_ELEMENT : 0).putInt(e + 4, data - e)
          .putInt(e + 8, k.length).putInt(e + 12, v.length);
      page.put(data, k);
      page.put(data + k.length, v);
      data += k.length + v.length;
    }
  }
}
