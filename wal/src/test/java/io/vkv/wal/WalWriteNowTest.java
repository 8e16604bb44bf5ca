package io.vkv.wal;

import static io.vkv.wal.WalTesting.await;
import static io.vkv.wal.WalTesting.config;
import static io.vkv.wal.WalTesting.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code *Now} writes: on the caller's thread, forced before they return, in order after queued writes. */
class WalWriteNowTest {
  @TempDir Path dir;
  final WalTesting.Clock clock = new WalTesting.Clock();

  @Test
  void saveNowIsDurableAndVisibleWhenItReturnsAndForcesOnTheCallersThread() throws Exception {
    AtomicReference<Thread> forcedOn = new AtomicReference<>();
    try (Wal wal = Wal.open(config(dir, clock).withFsyncNanos(n -> forcedOn.set(Thread.currentThread())))) {
      CompletableFuture<Void> saved = wal.saveNow(new HardState(1, 1, 0), List.of(entry(1, 1), entry(2, 1)));
      assertTrue(saved.isDone() && !saved.isCompletedExceptionally(), "complete when it returns");
      assertEquals(Thread.currentThread(), forcedOn.get(), "forced on the calling thread");
      assertEquals(2, wal.lastIndex(), "readers see it at once");
      assertEquals(new HardState(1, 1, 0), wal.hardState());
    }
    try (Wal wal = Wal.open(config(dir, clock))) {
      assertEquals(2, wal.lastIndex());
    }
  }

  @Test
  void saveNowIsWrittenAfterEverythingQueuedBeforeIt() throws Exception {
    CountDownLatch forcing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger forces = new AtomicInteger();
    try (Wal wal = Wal.open(config(dir, clock).withFsyncNanos(n -> {
      if (forces.incrementAndGet() == 1) { // hold the writer thread inside its first batch
        forcing.countDown();
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }))) {
      CompletableFuture<Void> first = wal.append(List.of(entry(1, 1), entry(2, 1)));
      assertTrue(forcing.await(20, TimeUnit.SECONDS), "the writer thread forces the first batch");
      CompletableFuture<Void> queued = wal.append(List.of(entry(3, 1))); // waits behind the held batch
      CompletableFuture<Void> now = CompletableFuture.supplyAsync(() -> wal.saveNow(null, List.of(entry(4, 1))))
          .thenCompose(f -> f);
      release.countDown();
      await(first);
      await(queued);
      await(now); // entry 4 is accepted only if entry 3 was written before it
      assertEquals(4, wal.lastIndex());
      assertEquals(List.of(1L, 2L, 3L, 4L), wal.entries(1, 5, Long.MAX_VALUE).stream().map(WalEntry::index).toList());
    }
  }

  @Test
  void unsyncedNowIsNotForcedButTheCloseForcesIt() throws Exception {
    AtomicInteger forces = new AtomicInteger();
    try (Wal wal = Wal.open(config(dir, clock).withFsyncNanos(n -> forces.incrementAndGet()))) {
      await(wal.saveNow(null, List.of(entry(1, 1))));
      int before = forces.get();
      CompletableFuture<Void> saved = wal.saveUnsyncedNow(new HardState(1, 0, 1));
      assertTrue(saved.isDone() && !saved.isCompletedExceptionally());
      assertEquals(before, forces.get(), "no force for a commit index alone");
      assertEquals(new HardState(1, 0, 1), wal.hardState());
      wal.close();
      assertEquals(before + 1, forces.get(), "close forces it");
    }
    try (Wal wal = Wal.open(config(dir, clock))) {
      assertEquals(new HardState(1, 0, 1), wal.hardState());
    }
  }

  @Test
  void saveNowOnAClosedWalFailsAndAnInvalidOneIsRejected() throws Exception {
    Wal wal = Wal.open(config(dir, clock));
    CompletableFuture<Void> gap = wal.saveNow(null, List.of(entry(5, 1)));
    ExecutionException refused = assertThrows(ExecutionException.class, gap::get);
    assertTrue(refused.getCause() instanceof IllegalArgumentException, refused.toString());
    await(wal.saveNow(null, List.of(entry(1, 1))));
    wal.close();
    ExecutionException closed = assertThrows(ExecutionException.class,
        () -> wal.saveNow(null, List.of(entry(2, 1))).get());
    assertTrue(closed.getCause().getMessage().contains("closed"), closed.toString());
  }
}
