package io.vkv.store;

import static io.vkv.store.Fixture.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data file that LMDB would map and then read past its end (which ends the JVM with SIGBUS, as seen with a member
 * whose data.mdb was cut short) is refused with an error that says what is wrong and what to do.
 */
class DamagedDataFileTest {
  @TempDir Path dir;

  /** A closed store of a few hundred KB, and the length of its data file. */
  private long writeStore() {
    try (Fixture f = new Fixture(dir)) {
      for (int i = 0; i < 200; i++) f.ok(put("k" + i, "v".repeat(2_000)));
      f.store.sync();
    }
    return dir.resolve("data.mdb").toFile().length();
  }

  @Test
  void aWholeFileOpensAgain() {
    writeStore();
    try (Fixture f = new Fixture(dir)) {
      assertEquals("v".repeat(2_000), f.kv("k199").getValue().toStringUtf8());
    }
  }

  @Test
  void aTruncatedFileIsRefusedNotMapped() throws IOException {
    long size = writeStore();
    truncate(size / 2);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Fixture(dir));
    assertTrue(e.getMessage().contains("cannot be opened: it is truncated: " + size / 2 + " bytes, but its pages reach"),
        e.getMessage());
    assertTrue(e.getMessage().contains("restore this member's data from a snapshot"), e.getMessage());
  }

  @Test
  void aFileCutInsideItsMetaPagesIsRefused() throws IOException {
    writeStore();
    truncate(5_000);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Fixture(dir));
    assertTrue(e.getMessage().contains("shorter than its two meta pages"), e.getMessage());
  }

  @Test
  void aFileThatIsNotLmdbIsRefused() throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("data.mdb"), new byte[64 * 1024]);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Fixture(dir));
    assertTrue(e.getMessage().contains("not an LMDB data file"), e.getMessage());
  }

  private void truncate(long to) throws IOException {
    try (FileChannel ch = FileChannel.open(dir.resolve("data.mdb"), StandardOpenOption.WRITE)) {
      ch.truncate(to);
    }
  }
}
