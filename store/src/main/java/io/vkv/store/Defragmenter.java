package io.vkv.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.lmdbjava.CopyFlags;

/**
 * Rewrites the store's data file without its free pages. LMDB cannot shrink a file in place, so a compacting copy
 * ({@code MDB_CP_COMPACT}) is written into {@code <dir>/defrag-N/}, forced to disk, opened there (its lock file stays
 * there: two environments of one process must not share a lock file) and renamed over {@code <dir>/data.mdb}. The
 * rename is atomic, so a crash leaves the old file or the new one, both holding the same data; the old environment
 * keeps its open file until its readers are done.
 */
final class Defragmenter {
  private static final String PREFIX = "defrag-";

  /** Copies {@code from} compacted and returns the new environment, whose data file is now {@code dir/data.mdb}. */
  static StoreGeneration defragment(Path dir, StoreGeneration from, long mapSize) {
    Path work = dir.resolve(PREFIX + System.nanoTime());
    try {
      Files.createDirectories(work);
      from.tables.env.copy(work.toFile(), CopyFlags.MDB_CP_COMPACT);
      force(work.resolve("data.mdb"));
      Tables tables = Tables.open(work, mapSize);
      try {
        tables.loadKeyIndex();
        Files.move(work.resolve("data.mdb"), dir.resolve("data.mdb"), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        force(dir); // the rename itself
      } catch (IOException | RuntimeException e) {
        tables.close();
        throw e;
      }
      return new StoreGeneration(tables, work);
    } catch (IOException e) {
      deleteQuietly(work);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      deleteQuietly(work);
      throw e;
    }
  }

  /** Deletes what a defragment interrupted by a crash (or a lock dir not yet deleted) left; only on open. */
  static void cleanUp(Path dir) {
    if (!Files.isDirectory(dir)) return;
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, PREFIX + "*")) {
      for (Path p : leftovers) deleteQuietly(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void force(Path p) throws IOException {
    try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
      c.force(true);
    }
  }

  private static void deleteQuietly(Path work) {
    for (String name : new String[] {"data.mdb", "lock.mdb"}) {
      try {
        Files.deleteIfExists(work.resolve(name));
      } catch (IOException ignored) {
        // best effort: cleanUp on the next open tries again
      }
    }
    try {
      Files.deleteIfExists(work);
    } catch (IOException ignored) {
      // as above
    }
  }

  private Defragmenter() {}
}
