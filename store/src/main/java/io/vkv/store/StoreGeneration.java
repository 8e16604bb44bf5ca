package io.vkv.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One open LMDB environment of the store and the helpers bound to it. A defragment replaces the generation; readers
 * that took the old one keep it (reference counted) and the old environment closes when the last of them leaves,
 * because closing an LMDB environment under a reader is not safe.
 */
final class StoreGeneration {
  private static final Logger LOG = Logger.getLogger(StoreGeneration.class.getName());

  final Tables tables;
  final RangeReader ranges;
  final EntryApplier applier;
  /** The directory holding this environment's lock file when it is not the store's own (after a defragment). */
  private final Path lockDir;
  /** One for the store that owns it, one per reader in flight; 0 once closed. */
  private final AtomicInteger refs = new AtomicInteger(1);

  StoreGeneration(Tables tables, Path lockDir) {
    this.tables = tables;
    this.lockDir = lockDir;
    this.ranges = new RangeReader(tables);
    this.applier = new EntryApplier(tables, ranges);
  }

  /** False if this generation is already closed (the caller then takes the current one again). */
  boolean retain() {
    while (true) {
      int n = refs.get();
      if (n == 0) return false;
      if (refs.compareAndSet(n, n + 1)) return true;
    }
  }

  void release() {
    if (refs.decrementAndGet() != 0) return;
    tables.close();
    if (lockDir != null) {
      try {
        Files.deleteIfExists(lockDir.resolve("lock.mdb"));
        Files.deleteIfExists(lockDir);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "could not delete " + lockDir + " (deleted on the next start)", e);
      }
    }
  }
}
