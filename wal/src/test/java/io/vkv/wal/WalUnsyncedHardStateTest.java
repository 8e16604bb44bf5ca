package io.vkv.wal;

import static io.vkv.wal.WalTesting.await;
import static io.vkv.wal.WalTesting.config;
import static io.vkv.wal.WalTesting.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hard state that only moves Raft's commit index is written without a force of its own. */
class WalUnsyncedHardStateTest {
  @TempDir Path dir;
  final WalTesting.Clock clock = new WalTesting.Clock();

  @Test
  void unsyncedHardStateCostsNoForceAndRidesTheNextOne() throws Exception {
    AtomicInteger forces = new AtomicInteger();
    try (Wal wal = Wal.open(config(dir, clock).withFsyncNanos(n -> forces.incrementAndGet()))) {
      await(wal.append(List.of(entry(1, 1), entry(2, 1))));
      int afterAppend = forces.get();
      await(wal.saveUnsynced(new HardState(1, 0, 2)));
      assertEquals(afterAppend, forces.get(), "a commit-only hard state must not force the log");
      assertEquals(new HardState(1, 0, 2), wal.hardState(), "readers see it once written");
      await(wal.append(List.of(entry(3, 1))));
      assertEquals(afterAppend + 1, forces.get(), "the next entries force once, carrying it along");
    }
  }

  @Test
  void closeForcesAnUnsyncedHardStateAndAReopenReadsIt() throws Exception {
    AtomicInteger forces = new AtomicInteger();
    try (Wal wal = Wal.open(config(dir, clock).withFsyncNanos(n -> forces.incrementAndGet()))) {
      await(wal.append(List.of(entry(1, 1))));
      int before = forces.get();
      await(wal.saveUnsynced(new HardState(1, 0, 1)));
      wal.close();
      assertEquals(before + 1, forces.get(), "close forces what was written unsynced");
    }
    try (Wal wal = Wal.open(config(dir, clock))) {
      assertEquals(new HardState(1, 0, 1), wal.hardState());
      assertEquals(1, wal.lastIndex());
    }
  }
}
