package io.vkv.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Test-only failpoint: a slow or stalled disk. When the JVM was started with {@code -D}{@value #PROPERTY}{@code =file},
 * every WAL force first waits the number of milliseconds the file holds (missing, empty or unreadable: 0), so a
 * fault test can make one member's fsyncs slow or stall them and clear that again at run time, without restarting
 * it. The file is re-read at most every {@link #REREAD_MILLIS} ms, also while a force waits, so clearing a stall
 * ends the waiting force within that time. Without the property the failpoint is {@link #OFF}: one field test per
 * force, no file access. Writers should replace the file atomically (write a temp file, then move it).
 */
final class ForceFailpoint {
  static final String PROPERTY = "vkv.failpoint.walForceDelayFile";
  static final long REREAD_MILLIS = 5;
  static final ForceFailpoint OFF = new ForceFailpoint(null);
  private static final Logger LOG = Logger.getLogger(ForceFailpoint.class.getName());

  private final Path file; // null: off
  private long delayMillis;
  private long readAtNanos;
  private boolean read;

  ForceFailpoint(Path file) {
    this.file = file;
  }

  /** The failpoint the system property names, or {@link #OFF}. */
  static ForceFailpoint fromSystemProperty() {
    String f = System.getProperty(PROPERTY);
    if (f == null || f.isBlank()) return OFF;
    LOG.warning("test failpoint on: WAL forces wait the milliseconds in " + f);
    return new ForceFailpoint(Path.of(f));
  }

  /**
   * Waits the delay currently set before a force. Called under the WAL's writing lock, so one thread at a time. An
   * interrupt ends the wait and stays set (the force that follows then fails as it would have anyway).
   */
  void beforeForce() {
    if (file == null) return;
    long start = System.nanoTime();
    try {
      while (true) {
        long left = delayMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (left <= 0) return;
        Thread.sleep(Math.min(left, REREAD_MILLIS));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The delay in the file, re-read once {@link #REREAD_MILLIS} passed since the last read. */
  long delayMillis() {
    if (file == null) return 0;
    long now = System.nanoTime();
    if (read && now - readAtNanos < TimeUnit.MILLISECONDS.toNanos(REREAD_MILLIS)) return delayMillis;
    read = true;
    readAtNanos = now;
    delayMillis = parse();
    return delayMillis;
  }

  private long parse() {
    try {
      String s = Files.readString(file).trim();
      return s.isEmpty() ? 0 : Math.max(0, Long.parseLong(s));
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }
}
