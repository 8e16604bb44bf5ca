package io.vkv.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Refuses an LMDB data file that cannot be opened safely, before LMDB maps it: LMDB trusts its meta page and reads
 * every page it names through the mapping, so a file cut short (an interrupted copy, a restore from a partial
 * backup) ends the process with SIGBUS at the first read past its end instead of an error.
 *
 * <p>Facts of LMDB's on-disk format (64-bit build) used here: pages 0 and 1 are meta pages; a meta starts after the
 * 16-byte page header with the magic {@code 0xBEEFC0DE}; the page size is kept in the free-list DB record's pad
 * (meta offset 24); the last page in use at meta offset 120 and the transaction id at 128. The meta with the higher
 * transaction id is the current one.
 */
final class DataFileCheck {
  static final int MAGIC = 0xBEEFC0DE;
  private static final int PAGE_HEADER = 16;
  private static final int MAGIC_AT = PAGE_HEADER;
  private static final int PAGE_SIZE_AT = PAGE_HEADER + 24;
  private static final int LAST_PAGE_AT = PAGE_HEADER + 120;
  private static final int TXN_ID_AT = PAGE_HEADER + 128;
  private static final int META_BYTES = TXN_ID_AT + 8;

  private DataFileCheck() {
  }

  /** Throws {@link IllegalStateException} naming the problem if {@code file} exists and cannot be a whole store. */
  static void requireWhole(Path file) {
    if (!Files.exists(file)) return;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size == 0) return; // created but never written: LMDB initializes it
      ByteBuffer first = read(ch, 0, file, size);
      if (first.getInt(MAGIC_AT) != MAGIC) {
        throw refused(file, "it is not an LMDB data file (no meta page at its start)");
      }
      long pageSize = Integer.toUnsignedLong(first.getInt(PAGE_SIZE_AT));
      if (pageSize < 512 || Long.bitCount(pageSize) != 1) {
        throw refused(file, "its meta page names an impossible page size " + pageSize);
      }
      if (size < 2 * pageSize) {
        throw refused(file, "it is " + size + " bytes, shorter than its two meta pages (" + 2 * pageSize + ")");
      }
      ByteBuffer second = read(ch, pageSize, file, size);
      ByteBuffer current = second.getInt(MAGIC_AT) == MAGIC
          && second.getLong(TXN_ID_AT) > first.getLong(TXN_ID_AT) ? second : first;
      long needed = (current.getLong(LAST_PAGE_AT) + 1) * pageSize;
      if (size < needed) {
        throw refused(file, "it is truncated: " + size + " bytes, but its pages reach " + needed + " bytes");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the store file " + file, e);
    }
  }

  private static ByteBuffer read(FileChannel ch, long at, Path file, long size) throws IOException {
    if (size < at + META_BYTES) {
      throw refused(file, "it is " + size + " bytes, too short to hold its meta pages");
    }
    ByteBuffer b = ByteBuffer.allocate(META_BYTES).order(ByteOrder.nativeOrder());
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) break;
    }
    return b.flip();
  }

  private static IllegalStateException refused(Path file, String why) {
    return new IllegalStateException("the store file " + file + " cannot be opened: " + why
        + "; restore this member's data from a snapshot, or remove the member and add it back empty"
        + " (docs/operations.md, \"A damaged store file\")");
  }
}
