package io.vkv.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Test-only failpoint: a full disk under the store. When the JVM was started with
 * {@code -D}{@value #PROPERTY}{@code =file} and that file holds the word {@value #FULL}, every commit of an applied
 * batch fails as a write to a full disk does (the LMDB transaction is aborted, nothing of the batch is stored), so a
 * fault test can fill one member's disk and free it again at run time. Anything else in the file, or no file, is a
 * disk with room. The file is re-read at most every {@link #REREAD_MILLIS} ms. Without the property the failpoint is
 * {@link #OFF}: one field test per commit, no file access. Writers should replace the file atomically (write a temp
 * file, then move it).
 */
final class CommitFailpoint {
  static final String PROPERTY = "vkv.failpoint.storeFullFile";
  static final String FULL = "full";
  static final long REREAD_MILLIS = 5;
  static final CommitFailpoint OFF = new CommitFailpoint(null);
  private static final Logger LOG = Logger.getLogger(CommitFailpoint.class.getName());

  private final Path file; // null: off
  private boolean full;
  private long readAtNanos;
  private boolean read;

  CommitFailpoint(Path file) {
    this.file = file;
  }

  /** The failpoint the system property names, or {@link #OFF}. */
  static CommitFailpoint fromSystemProperty() {
    String f = System.getProperty(PROPERTY);
    if (f == null || f.isBlank()) return OFF;
    LOG.warning("test failpoint on: store commits fail as on a full disk while " + f + " holds '" + FULL + "'");
    return new CommitFailpoint(Path.of(f));
  }

  /** Throws what a write to a full disk throws while the file says the disk is full. Under the store's writer lock. */
  void beforeCommit() {
    if (full()) {
      throw new UncheckedIOException(new IOException("No space left on device (test failpoint " + file + ")"));
    }
  }

  /** Whether the file says full, re-read once {@link #REREAD_MILLIS} passed since the last read. */
  boolean full() {
    if (file == null) return false;
    long now = System.nanoTime();
    if (read && now - readAtNanos < TimeUnit.MILLISECONDS.toNanos(REREAD_MILLIS)) return full;
    read = true;
    readAtNanos = now;
    try {
      full = Files.readString(file).trim().equals(FULL);
    } catch (IOException e) {
      full = false;
    }
    return full;
  }
}
