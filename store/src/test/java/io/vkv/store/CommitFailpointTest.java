package io.vkv.store;

import static io.vkv.store.Fixture.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitFailpointTest {
  @TempDir Path dir;

  static void set(Path file, String value) throws Exception {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, value);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Polls (the failpoint re-reads its file every few ms) until it says {@code full}, for at most 5 s. */
  static void awaitFull(CommitFailpoint fp, boolean full) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (fp.full() != full) {
      assertTrue(System.nanoTime() - deadline < 0, "the failpoint never read full=" + full);
      Thread.onSpinWait();
    }
  }

  @Test
  void offWithoutTheProperty() {
    assertSame(CommitFailpoint.OFF, CommitFailpoint.fromSystemProperty());
    assertFalse(CommitFailpoint.OFF.full());
  }

  @Test
  void onlyTheWordFullMeansAFullDisk() throws Exception {
    Path f = dir.resolve("disk");
    assertFalse(new CommitFailpoint(f).full(), "no file");
    for (String room : List.of("", "0", "ful", "not full")) {
      set(f, room);
      assertFalse(new CommitFailpoint(f).full(), room);
    }
    set(f, "full\n");
    assertTrue(new CommitFailpoint(f).full());
  }

  @Test
  void aFullDiskFailsTheCommitStoresNothingOfTheBatchAndFreedGoesOn() throws Exception {
    Path file = dir.resolve("disk");
    CommitFailpoint fp = new CommitFailpoint(file);
    try (MvccStore store = MvccStore.open(new StoreConfig(dir.resolve("store"), 0), fp)) {
      store.apply(List.of(new LogEntry(1, put("a", "1"))));
      set(file, CommitFailpoint.FULL);
      awaitFull(fp, true);
      UncheckedIOException e = assertThrows(UncheckedIOException.class,
          () -> store.apply(List.of(new LogEntry(2, put("a", "2")), new LogEntry(3, put("b", "3")))));
      assertTrue(e.getMessage().contains("No space left on device"), e::getMessage);
      assertEquals(1, store.consistentIndex(), "nothing of the failed batch is committed");
      assertEquals(2, store.currentRevision());
      assertEquals(0, store.range(Fixture.rangeReq("b", "").build()).getKvsCount());

      set(file, "");
      awaitFull(fp, false);
      List<ApplyResult> again = store.apply(List.of(new LogEntry(2, put("a", "2")),
          new LogEntry(3, put("b", "3"))));
      assertEquals(2, again.size());
      assertNull(again.get(1).error());
      assertEquals(3, store.consistentIndex());
      assertEquals("2", store.range(Fixture.rangeReq("a", "").build()).getKvs(0).getValue().toStringUtf8());
    }
  }
}
