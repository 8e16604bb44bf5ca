package io.vkv.wal;

import static io.vkv.wal.WalTesting.await;
import static io.vkv.wal.WalTesting.config;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cycle file is closed after {@link WalWriter#ROLL_BYTES} of records, whatever the clock says. */
class WalSizeRollTest {
  @TempDir Path dir;
  final WalTesting.Clock clock = new WalTesting.Clock(); // never moves: only size rolls the file

  @Test
  void aFileThatReachedTheRollSizeIsFollowedByANewOneAndAReopenReadsAcrossThem() throws Exception {
    byte[] mib = new byte[1 << 20];
    int entries = (int) (WalWriter.ROLL_BYTES >> 20) + 4;
    try (Wal wal = Wal.open(config(dir, clock))) {
      for (int i = 1; i <= entries; i++) {
        mib[0] = (byte) i;
        await(wal.append(List.of(new WalEntry(i, 1, 0, mib.clone()))));
      }
    }
    assertTrue(cycleFiles() >= 2, "expected the log to span two or more cycle files, found " + cycleFiles());
    try (Wal wal = Wal.open(config(dir, clock))) {
      assertEquals(entries, wal.lastIndex());
      List<WalEntry> read = wal.entries(1, entries + 1, Long.MAX_VALUE);
      assertEquals(entries, read.size());
      for (WalEntry e : read) {
        mib[0] = (byte) e.index();
        assertArrayEquals(mib, e.data(), "entry " + e.index());
      }
    }
  }

  private long cycleFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".cq4")).count();
    }
  }
}
