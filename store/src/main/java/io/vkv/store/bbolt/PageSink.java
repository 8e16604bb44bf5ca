package io.vkv.store.bbolt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/** Hands out page ids in file order and writes each page (with its overflow pages) once, at its place. */
final class PageSink {
  private final FileChannel file;
  final int pageSize;
  /** Pages 0 and 1 are the meta pages, written last. */
  private long next = 2;

  PageSink(FileChannel file, int pageSize) {
    this.file = file;
    this.pageSize = pageSize;
  }

  /** A zeroed little-endian buffer of whole pages able to hold {@code bytes}. */
  ByteBuffer allocate(long bytes) {
    long pages = Math.max(1, (bytes + pageSize - 1) / pageSize);
    if (pages * pageSize > Integer.MAX_VALUE) throw new IllegalArgumentException("page of " + bytes + " bytes is too large");
    return ByteBuffer.allocate((int) (pages * pageSize)).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Fills in the header of {@code page} (from {@link #allocate}), writes it and returns its id. */
  long write(ByteBuffer page, int flags, int count) throws IOException {
    long id = next;
    int pages = page.capacity() / pageSize;
    page.putLong(BoltPage.ID, id).putShort(BoltPage.FLAGS, (short) flags).putShort(BoltPage.COUNT, (short) count)
        .putInt(BoltPage.OVERFLOW, pages - 1);
    writeAt(page, id);
    next += pages;
    return id;
  }

  void writeAt(ByteBuffer page, long id) throws IOException {
    ByteBuffer b = page.duplicate().clear();
    long at = id * pageSize;
    while (b.hasRemaining()) at += file.write(b, at);
  }

  /** The first page id not yet handed out. */
  long highWater() {
    return next;
  }
}
