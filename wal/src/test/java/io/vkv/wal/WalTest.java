package io.vkv.wal;

import static io.vkv.wal.WalTesting.await;
import static io.vkv.wal.WalTesting.config;
import static io.vkv.wal.WalTesting.entries;
import static io.vkv.wal.WalTesting.entry;
import static io.vkv.wal.WalTesting.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {
  @TempDir Path dir;
  final WalTesting.Clock clock = new WalTesting.Clock();

  @Test
  void emptyLogStartsAtOne() {
    try (Wal wal = Wal.open(config(dir.resolve("new"), clock))) {
      assertTrue(Files.isDirectory(dir.resolve("new")));
      assertEquals(1, wal.firstIndex());
      assertEquals(0, wal.lastIndex());
      assertEquals(0, wal.term(0));
      assertEquals(HardState.EMPTY, wal.hardState());
      assertEquals(0, wal.snapshot().index());
      assertEquals(List.of(), wal.entries(1, 1, 100));
    }
  }

  @Test
  void appendedEntriesReadBack() throws Exception {
    try (Wal wal = Wal.open(config(dir, clock))) {
      await(wal.append(entries(1, 5, 1)));
      await(wal.append(List.of(new WalEntry(6, 2, 7, new byte[] {1, 2, 3}))));
      assertEquals(1, wal.firstIndex());
      assertEquals(6, wal.lastIndex());
      assertEquals(1, wal.term(5));
      assertEquals(2, wal.term(6));
      List<WalEntry> read = wal.entries(2, 7, Long.MAX_VALUE);
      assertEquals(5, read.size());
      assertEquals("entry-2-term-1", text(read.get(0)));
      WalEntry last = read.get(4);
      assertEquals(6, last.index());
      assertEquals(2, last.term());
      assertEquals(7, last.type());
      assertArrayEquals(new byte[] {1, 2, 3}, last.data());
    }
  }

  @Test
  void termOutsideTheLogIsRejectedClearly() throws Exception {
    try (Wal wal = Wal.open(config(dir, clock))) {
      await(wal.append(entries(1, 3, 1)));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wal.term(4));
      assertTrue(e.getMessage().contains("index 4 is outside the log [0, 3]"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> wal.term(-1));
      assertThrows(IllegalArgumentException.class, () -> wal.entries(2, 5, 100));
    }
  }

  @Test
  void entriesStopAtMaxBytesButReturnAtLeastOne() throws Exception {
    try (Wal wal = Wal.open(config(dir, clock))) {
      List<WalEntry> batch = new java.util.ArrayList<>();
      for (int i = 1; i <= 10; i++) batch.add(new WalEntry(i, 1, 0, new byte[100]));
      await(wal.append(batch));
      assertEquals(3, wal.entries(1, 11, 350).size());
      assertEquals(3, wal.entries(1, 11, 300).size());
      assertEquals(1, wal.entries(4, 11, 10).size(), "one entry even if it alone exceeds maxBytes");
      assertEquals(10, wal.entries(1, 11, 1000).size());
      assertEquals(4, wal.entries(4, 11, 10).get(0).index());
    }
  }

  @Test
  void saveKeepsHardStateWithEntriesAcrossReopen() throws Exception {
    try (Wal wal = Wal.open(config(dir, clock))) {
      await(wal.save(new HardState(3, 2, 0), entries(1, 3, 3)));
      await(wal.save(new HardState(3, 2, 2), List.of()));
      assertEquals(new HardState(3, 2, 2), wal.hardState());
    }
    try (Wal wal = Wal.open(config(dir, clock))) {
      assertEquals(new HardState(3, 2, 2), wal.hardState());
      assertEquals(3, wal.lastIndex());
      assertEquals(3, wal.term(3));
      assertEquals("entry-3-term-3", text(wal.entries(3, 4, 100).get(0)));
      await(wal.append(entries(4, 4, 3)));
    }
    try (Wal wal = Wal.open(config(dir, clock))) {
      assertEquals(4, wal.lastIndex());
      assertEquals(new HardState(3, 2, 2), wal.hardState());
    }
  }

  @Test
  void truncateThenAppendSurvivesRestart() throws Exception {
    try (Wal wal = Wal.open(config(dir, clock))) {
      await(wal.append(entries(1, 10, 1)));
      await(wal.truncateSuffix(6));
      assertEquals(5, wal.lastIndex());
      assertThrows(IllegalArgumentException.class, () -> wal.term(6));
      await(wal.append(entries(6, 7, 2)));
    }
    try (Wal wal = Wal.open(config(dir, clock))) {
      assertEquals(7, wal.lastIndex());
      assertEquals(1, wal.term(5));
      assertEquals(2, wal.term(6));
      assertEquals("entry-7-term-2", text(wal.entries(7, 8, 100).get(0)));
      assertThrows(IllegalArgumentException.class, () -> wal.term(8));
    }
  }

  @Test
  void truncatePastTheEndChangesNothingAndBelowFirstFails() throws Exception {
    try (Wal wal = Wal.open(config(dir, clock))) {
      await(wal.append(entries(1, 3, 1)));
      await(wal.truncateSuffix(10));
      assertEquals(3, wal.lastIndex());
      await(wal.compact(new SnapshotMeta(2, 1, new byte[0])));
      Exception e = assertThrows(IllegalArgumentException.class, () -> await(wal.truncateSuffix(2)));
      assertTrue(e.getMessage().contains("cannot truncate from index 2"), e.getMessage());
    }
  }

  @Test
  void appendWithOverlappingFirstIndexReplacesTheSuffix() throws Exception {
    try (Wal wal = Wal.open(config(dir, clock))) {
      await(wal.append(entries(1, 10, 1)));
      await(wal.append(entries(4, 5, 2)));
      assertEquals(5, wal.lastIndex());
      assertEquals(2, wal.term(4));
      assertEquals(1, wal.term(3));
    }
    try (Wal wal = Wal.open(config(dir, clock))) {
      assertEquals(5, wal.lastIndex());
      assertEquals("entry-4-term-2", text(wal.entries(4, 5, 100).get(0)));
      assertEquals("entry-3-term-1", text(wal.entries(3, 4, 100).get(0)));
    }
  }

  @Test
  void invalidAppendIndexFailsTheFutureClearly() throws Exception {
    try (Wal wal = Wal.open(config(dir, clock))) {
      await(wal.append(entries(1, 3, 1)));
      Exception gap = assertThrows(IllegalArgumentException.class, () -> await(wal.append(entries(5, 6, 1))));
      assertTrue(gap.getMessage().contains("cannot append at index 5: the next index must be in [1, 4]"), gap.getMessage());
      Exception holes = assertThrows(IllegalArgumentException.class,
          () -> await(wal.append(List.of(entry(4, 1), entry(6, 1)))));
      assertTrue(holes.getMessage().contains("consecutive"), holes.getMessage());
      await(wal.compact(new SnapshotMeta(2, 1, new byte[0])));
      assertThrows(IllegalArgumentException.class, () -> await(wal.append(entries(2, 2, 1))));
      await(wal.append(entries(4, 4, 1))); // the writer goes on after rejected writes
      assertEquals(4, wal.lastIndex());
    }
  }

  @Test
  void closedWalRejectsWritesAndReads() throws Exception {
    Wal wal = Wal.open(config(dir, clock));
    wal.close();
    wal.close();
    assertThrows(IllegalStateException.class, () -> await(wal.append(entries(1, 1, 1))));
    assertThrows(IllegalStateException.class, wal::lastIndex);
  }
}
