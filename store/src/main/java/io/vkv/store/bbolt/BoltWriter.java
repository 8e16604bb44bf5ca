package io.vkv.store.bbolt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes a new bbolt file in one pass: buckets and keys arrive in ascending order, pages are written as they fill,
 * and the two meta pages last (so a file cut short by a crash has no valid meta). Like etcd's snapshots, the file
 * keeps no freelist: it has no free pages, and bbolt rebuilds the list on open.
 *
 * <pre>
 * try (BoltWriter w = BoltWriter.create(path)) {
 *   w.beginBucket(name); w.put(key, value); ... w.endBucket();
 *   w.finish();
 * }
 * </pre>
 */
public final class BoltWriter implements AutoCloseable {
  public static final int DEFAULT_PAGE_SIZE = 4096;
  /** Written to page 0, and txid - 1 to page 1: even, so bbolt's next commit (txid + 1) overwrites the older one. */
  private static final long TXID = 2;

  private final FileChannel file;
  private final PageSink sink;
  /** The open buckets, innermost first; the root bucket (holding the top-level buckets) at the bottom. */
  private final Deque<BucketBuilder> open = new ArrayDeque<>();
  private final Deque<byte[]> names = new ArrayDeque<>();
  private BoltMeta finished;

  private BoltWriter(FileChannel file, int pageSize) {
    this.file = file;
    this.sink = new PageSink(file, pageSize);
    open.push(new BucketBuilder(sink, false));
  }

  /** Creates (or truncates) {@code path}. */
  public static BoltWriter create(Path path) throws IOException {
    return create(path, DEFAULT_PAGE_SIZE);
  }

  public static BoltWriter create(Path path, int pageSize) throws IOException {
    if (pageSize < 1024 || Integer.bitCount(pageSize) != 1) throw new IllegalArgumentException("bad page size " + pageSize);
    return new BoltWriter(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING), pageSize);
  }

  /** Opens a bucket inside the current one; its name must sort after the current bucket's previous key. */
  public void beginBucket(byte[] name) {
    checkOpen();
    names.push(name);
    open.push(new BucketBuilder(sink, true));
  }

  /** Adds a key to the current bucket; keys of a bucket must come in strictly ascending (unsigned) order. */
  public void put(byte[] key, byte[] value) throws IOException {
    checkOpen();
    if (open.size() == 1) throw new IllegalStateException("the root bucket holds only buckets");
    open.peek().add(key, value, false);
  }

  /** Closes the current bucket and records it in its parent. */
  public void endBucket() throws IOException {
    checkOpen();
    if (open.size() == 1) throw new IllegalStateException("no bucket is open");
    byte[] header = open.pop().finish();
    open.peek().add(names.pop(), header, true);
  }

  /** Writes the root and the meta pages and forces the file; returns the meta written. */
  public BoltMeta finish() throws IOException {
    checkOpen();
    if (open.size() != 1) throw new IllegalStateException(names.size() + " bucket(s) still open");
    byte[] rootHeader = open.pop().finish();
    long root = ByteBuffer.wrap(rootHeader).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
    BoltMeta meta = new BoltMeta(sink.pageSize, 0, root, 0, BoltMeta.NO_FREELIST, sink.highWater(), TXID);
    ByteBuffer page = sink.allocate(sink.pageSize);
    meta.encode(page, 0);
    sink.writeAt(page, 0);
    page = sink.allocate(sink.pageSize);
    new BoltMeta(meta.pageSize(), 0, root, 0, BoltMeta.NO_FREELIST, meta.highWater(), TXID - 1).encode(page, 1);
    sink.writeAt(page, 1);
    file.force(true);
    finished = meta;
    return meta;
  }

  private void checkOpen() {
    if (finished != null) throw new IllegalStateException("already finished");
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
