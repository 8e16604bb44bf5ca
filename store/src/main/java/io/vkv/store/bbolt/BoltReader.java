package io.vkv.store.bbolt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads a bbolt file page by page (positional reads, nothing mapped, nothing cached): picks the current meta page,
 * walks a bucket's B+tree in key order and finds nested buckets. Every page it reads is checked (id, type, bounds),
 * so a damaged file fails with a {@link BoltFormatException} rather than wrong data.
 */
public final class BoltReader implements AutoCloseable {
  /** Deeper than any real tree (a bbolt tree of 2^60 keys is under 20 levels): stops loops in a damaged file. */
  private static final int MAX_DEPTH = 64;

  private final FileChannel file;
  private final long fileSize;
  private final BoltMeta meta;

  private BoltReader(FileChannel file, long fileSize, BoltMeta meta) {
    this.file = file;
    this.fileSize = fileSize;
    this.meta = meta;
  }

  public static BoltReader open(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      long size = ch.size();
      return new BoltReader(ch, size, currentMeta(ch, size));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** The valid meta with the higher txid, as bbolt chooses; page 1 is found with page 0's page size (or 4 KiB). */
  private static BoltMeta currentMeta(FileChannel ch, long size) throws IOException {
    BoltMeta first = null;
    BoltFormatException failure = null;
    try {
      first = BoltMeta.decode(read(ch, 0, 4096, size));
    } catch (BoltFormatException e) {
      failure = e;
    }
    int pageSize = first != null ? first.pageSize() : 4096;
    if (pageSize < 1024 || Integer.bitCount(pageSize) != 1) throw new BoltFormatException("bad bbolt page size " + pageSize);
    BoltMeta second = null;
    try {
      second = BoltMeta.decode(read(ch, pageSize, pageSize, size));
    } catch (BoltFormatException e) {
      if (failure == null) failure = e;
    }
    if (first == null && second == null) throw failure;
    BoltMeta m = first == null || (second != null && second.txid() > first.txid()) ? second : first;
    if (m.highWater() < 2 || m.size() > size) {
      throw new BoltFormatException("bbolt file truncated: meta says " + m.size() + " bytes, file has " + size);
    }
    return m;
  }

  private static ByteBuffer read(FileChannel ch, long at, int length, long size) throws IOException {
    if (at + length > size) throw new BoltFormatException("file too short: needs " + (at + length) + " bytes, has " + size);
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) throw new BoltFormatException("unexpected end of file");
    }
    return b.flip();
  }

  public BoltMeta meta() {
    return meta;
  }

  /** The root bucket, whose entries are the top-level buckets. */
  public BoltBucket root() {
    return new BoltBucket(meta.root(), meta.rootSequence(), null);
  }

  /** The nested bucket {@code name} of {@code parent}, or null if there is none. */
  public BoltBucket bucket(BoltBucket parent, byte[] name) throws IOException {
    ByteBuffer page = parent.inline() != null ? parent.inline() : page(parent.root());
    for (int depth = 0; depth < MAX_DEPTH; depth++) {
      int flags = page.getShort(BoltPage.FLAGS) & 0xffff;
      int count = page.getShort(BoltPage.COUNT) & 0xffff;
      if ((flags & BoltPage.LEAF) != 0) {
        for (int i = 0; i < count; i++) {
          int e = BoltPage.HEADER + i * BoltPage.ELEMENT;
          if (!Arrays.equals(leafKey(page, e), name)) continue;
          if ((page.getInt(e) & BoltPage.BUCKET_ELEMENT) == 0) throw new BoltFormatException("not a bucket: " + printable(name));
          return BoltBucket.of(leafValue(page, e));
        }
        return null;
      }
      // a branch: descend into the last child whose first key is <= name
      long child = -1;
      for (int i = 0; i < count; i++) {
        int e = BoltPage.HEADER + i * BoltPage.ELEMENT;
        if (i > 0 && Arrays.compareUnsigned(branchKey(page, e), name) > 0) break;
        child = page.getLong(e + 8);
      }
      if (child < 0) return null;
      page = page(child);
    }
    throw new BoltFormatException("bucket tree deeper than " + MAX_DEPTH + " levels");
  }

  /** Visits every entry of the bucket in key order. */
  public void forEach(BoltBucket bucket, BoltVisitor visitor) throws IOException {
    if (bucket.inline() != null) {
      walk(bucket.inline(), visitor, 0);
    } else {
      walk(page(bucket.root()), visitor, 0);
    }
  }

  private void walk(ByteBuffer page, BoltVisitor visitor, int depth) throws IOException {
    if (depth > MAX_DEPTH) throw new BoltFormatException("bucket tree deeper than " + MAX_DEPTH + " levels");
    int flags = page.getShort(BoltPage.FLAGS) & 0xffff;
    int count = page.getShort(BoltPage.COUNT) & 0xffff;
    for (int i = 0; i < count; i++) {
      int e = BoltPage.HEADER + i * BoltPage.ELEMENT;
      if ((flags & BoltPage.LEAF) != 0) {
        visitor.visit(leafKey(page, e), leafValue(page, e), (page.getInt(e) & BoltPage.BUCKET_ELEMENT) != 0);
      } else {
        walk(page(page.getLong(e + 8)), visitor, depth + 1);
      }
    }
  }

  /** Reads a branch or leaf page with its overflow pages, checking what its header claims. */
  private ByteBuffer page(long id) throws IOException {
    int pageSize = meta.pageSize();
    if (id < 2 || id >= meta.highWater()) throw new BoltFormatException("page id " + id + " out of range [2, " + meta.highWater() + ")");
    ByteBuffer header = read(file, id * pageSize, BoltPage.HEADER, fileSize);
    long overflow = header.getInt(BoltPage.OVERFLOW) & 0xffffffffL;
    int flags = header.getShort(BoltPage.FLAGS) & 0xffff;
    if (header.getLong(BoltPage.ID) != id) throw new BoltFormatException("page " + id + " carries id " + header.getLong(BoltPage.ID));
    if (flags != BoltPage.BRANCH && flags != BoltPage.LEAF) throw new BoltFormatException("page " + id + " has unexpected type " + flags);
    if (id + overflow >= meta.highWater() || (overflow + 1) * pageSize > Integer.MAX_VALUE) {
      throw new BoltFormatException("page " + id + " overflows past the end of the file");
    }
    ByteBuffer p = read(file, id * pageSize, (int) ((overflow + 1) * pageSize), fileSize);
    checkElements(p, id);
    return p;
  }

  /** Every element's key and value must lie within the page. */
  static void checkElements(ByteBuffer p, long id) throws BoltFormatException {
    boolean leaf = (p.getShort(BoltPage.FLAGS) & BoltPage.LEAF) != 0;
    int count = p.getShort(BoltPage.COUNT) & 0xffff;
    if (BoltPage.HEADER + (long) count * BoltPage.ELEMENT > p.limit()) throw new BoltFormatException("page " + id + ": too many elements");
    for (int i = 0; i < count; i++) {
      int e = BoltPage.HEADER + i * BoltPage.ELEMENT;
      long pos = e + (leaf ? p.getInt(e + 4) : p.getInt(e)) & 0xffffffffL;
      long end = pos + (p.getInt(e + (leaf ? 8 : 4)) & 0xffffffffL) + (leaf ? p.getInt(e + 12) & 0xffffffffL : 0);
      if (end > p.limit()) throw new BoltFormatException("page " + id + ": element " + i + " runs past the page");
    }
  }

  /** The page ids on the freelist (empty when the file keeps none, as etcd's snapshots). */
  public long[] freePages() throws IOException {
    if (meta.freelist() == BoltMeta.NO_FREELIST) return new long[0];
    long id = meta.freelist();
    if (id < 2 || id >= meta.highWater()) throw new BoltFormatException("freelist page " + id + " out of range");
    ByteBuffer header = read(file, id * meta.pageSize(), BoltPage.HEADER, fileSize);
    if ((header.getShort(BoltPage.FLAGS) & BoltPage.FREELIST) == 0) throw new BoltFormatException("page " + id + " is not a freelist");
    long pages = (header.getInt(BoltPage.OVERFLOW) & 0xffffffffL) + 1;
    if (id + pages > meta.highWater()) throw new BoltFormatException("freelist runs past the end of the file");
    ByteBuffer p = read(file, id * meta.pageSize(), (int) (pages * meta.pageSize()), fileSize);
    int count = p.getShort(BoltPage.COUNT) & 0xffff;
    int at = BoltPage.HEADER;
    long n = count;
    if (count == BoltPage.FREELIST_COUNT_OVERFLOW) {
      n = p.getLong(at);
      at += 8;
    }
    if (n < 0 || at + n * 8 > p.limit()) throw new BoltFormatException("freelist count " + n + " runs past its pages");
    long[] ids = new long[(int) n];
    for (int i = 0; i < n; i++) ids[i] = p.getLong(at + i * 8);
    return ids;
  }

  private static byte[] leafKey(ByteBuffer p, int e) {
    return bytes(p, e + p.getInt(e + 4), p.getInt(e + 8));
  }

  private static byte[] leafValue(ByteBuffer p, int e) {
    return bytes(p, e + p.getInt(e + 4) + p.getInt(e + 8), p.getInt(e + 12));
  }

  private static byte[] branchKey(ByteBuffer p, int e) {
    return bytes(p, e + p.getInt(e), p.getInt(e + 4));
  }

  private static byte[] bytes(ByteBuffer p, int at, int length) {
    byte[] out = new byte[length];
    p.get(at, out);
    return out;
  }

  private static String printable(byte[] name) {
    return new String(name, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
