package io.vkv.wal;

import static io.vkv.wal.WalTesting.await;
import static io.vkv.wal.WalTesting.config;
import static io.vkv.wal.WalTesting.entries;
import static io.vkv.wal.WalTesting.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalCompactionTest {
  @TempDir Path dir;
  final WalTesting.Clock clock = new WalTesting.Clock();

  private List<Path> cycleFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
    }
  }

  @Test
  void compactionMovesTheFirstIndexAndDeletesOldCycleFiles() throws Exception {
    try (Wal wal = Wal.open(config(dir, clock))) {
      await(wal.save(new HardState(2, 1, 25), entries(1, 10, 1)));
      clock.nextHour();
      await(wal.append(entries(11, 20, 1)));
      clock.nextHour();
      await(wal.append(entries(21, 30, 2)));
      List<Path> before = cycleFiles();
      assertEquals(3, before.size(), "one file per hour: " + before);

      await(wal.compact(new SnapshotMeta(15, 1, new byte[] {9})));
      assertEquals(16, wal.firstIndex());
      assertEquals(30, wal.lastIndex());
      assertEquals(1, wal.term(15));
      assertThrows(IllegalArgumentException.class, () -> wal.term(14));
      assertThrows(IllegalArgumentException.class, () -> wal.entries(15, 17, 100));
      assertEquals("entry-16-term-1", text(wal.entries(16, 17, 100).get(0)));
      List<Path> after = cycleFiles();
      assertEquals(before.subList(1, 3), after, "the first hour held only entries 1..10");
    }
    try (Wal wal = Wal.open(config(dir, clock))) {
      assertEquals(16, wal.firstIndex());
      assertEquals(30, wal.lastIndex());
      assertEquals(1, wal.term(15));
      assertEquals(2, wal.term(30));
      assertArrayEquals(new byte[] {9}, wal.snapshot().data());
      assertEquals(new HardState(2, 1, 25), wal.hardState(), "hard state survives the deletion of its file");
      assertEquals(15, wal.entries(16, 31, Long.MAX_VALUE).size());
    }
  }

  @Test
  void compactingEverythingLeavesAnEmptyLogThatContinues() throws Exception {
    try (Wal wal = Wal.open(config(dir, clock))) {
      await(wal.append(entries(1, 5, 1)));
      clock.nextHour();
      await(wal.append(entries(6, 8, 1)));
      clock.nextHour();
      await(wal.compact(new SnapshotMeta(8, 1, new byte[0])));
      assertEquals(9, wal.firstIndex());
      assertEquals(8, wal.lastIndex());
      assertEquals(1, cycleFiles().size(), "only the file with the snapshot record stays: " + cycleFiles());
      await(wal.append(entries(9, 9, 2)));
    }
    try (Wal wal = Wal.open(config(dir, clock))) {
      assertEquals(9, wal.firstIndex());
      assertEquals(9, wal.lastIndex());
      assertEquals(1, wal.term(8));
    }
  }

  @Test
  void snapshotPastTheEndReplacesTheLog() throws Exception {
    try (Wal wal = Wal.open(config(dir, clock))) {
      await(wal.append(entries(1, 5, 1)));
      await(wal.compact(new SnapshotMeta(100, 7, new byte[0])));
      assertEquals(101, wal.firstIndex());
      assertEquals(100, wal.lastIndex());
      assertEquals(7, wal.term(100));
      Exception old = assertThrows(IllegalArgumentException.class,
          () -> await(wal.compact(new SnapshotMeta(50, 7, new byte[0]))));
      assertTrue(old.getMessage().contains("older than the current snapshot"), old.getMessage());
      await(wal.append(entries(101, 102, 8)));
    }
    try (Wal wal = Wal.open(config(dir, clock))) {
      assertEquals(101, wal.firstIndex());
      assertEquals(102, wal.lastIndex());
      assertEquals(7, wal.term(100));
    }
  }

  @Test
  void replayAfterCompactionHandlesOverwrittenEntriesInTheOldestRetainedFile() throws Exception {
    try (Wal wal = Wal.open(config(dir, clock))) {
      await(wal.append(entries(1, 4, 1)));
      clock.nextHour();
      await(wal.append(entries(5, 8, 1)));
      await(wal.truncateSuffix(3)); // reaches back into the file that will be deleted
      await(wal.append(entries(3, 6, 2)));
      clock.nextHour();
      await(wal.compact(new SnapshotMeta(4, 2, new byte[0])));
      assertEquals(2, cycleFiles().size());
    }
    try (Wal wal = Wal.open(config(dir, clock))) {
      assertEquals(5, wal.firstIndex());
      assertEquals(6, wal.lastIndex());
      assertEquals(2, wal.term(5));
      assertEquals("entry-6-term-2", text(wal.entries(6, 7, 100).get(0)));
    }
  }
}
