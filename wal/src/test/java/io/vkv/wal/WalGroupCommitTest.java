package io.vkv.wal;

import static io.vkv.wal.WalTesting.await;
import static io.vkv.wal.WalTesting.config;
import static io.vkv.wal.WalTesting.entry;
import static io.vkv.wal.WalTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalGroupCommitTest {
  @TempDir Path dir;
  final WalTesting.Clock clock = new WalTesting.Clock();

  @Test
  void concurrentAppendersShareForces() throws Exception {
    AtomicInteger forces = new AtomicInteger();
    AtomicLong forceNanos = new AtomicLong();
    int threads = 16;
    int perThread = 200;
    try (Wal wal = Wal.open(config(dir, clock).withFsyncNanos(n -> {
      forces.incrementAndGet();
      forceNanos.addAndGet(n);
    }))) {
      Object order = new Object();
      long[] next = {1};
      List<CompletableFuture<Void>> all = new ArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> appenders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread thread = new Thread(() -> {
          try {
            start.await();
            for (int i = 0; i < perThread; i++) {
              CompletableFuture<Void> f;
              synchronized (order) { // indexes must reach the WAL in order
                f = wal.append(List.of(entry(next[0]++, 1)));
                all.add(f);
              }
              f.get(20, TimeUnit.SECONDS); // each appender waits for durability, like a Raft follower would
            }
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
        thread.start();
        appenders.add(thread);
      }
      start.countDown();
      for (Thread thread : appenders) thread.join(TimeUnit.SECONDS.toMillis(40));
      int appends = threads * perThread;
      synchronized (order) {
        assertEquals(appends, all.size());
        for (CompletableFuture<Void> f : all) assertTrue(f.isDone() && !f.isCompletedExceptionally());
      }
      assertEquals(appends, wal.lastIndex());
      List<WalEntry> read = wal.entries(1, appends + 1, Long.MAX_VALUE);
      for (int i = 0; i < appends; i++) assertEquals(i + 1, read.get(i).index());
      assertTrue(forces.get() < appends, forces.get() + " forces for " + appends + " appends");
      assertTrue(forceNanos.get() > 0);
    }
  }

  @Test
  void readersSeeOnlyDurableEntriesWhileAppendsAreInFlight() throws Exception {
    try (Wal wal = Wal.open(config(dir, clock))) {
      List<CompletableFuture<Void>> pending = new ArrayList<>();
      for (long i = 1; i <= 2_000; i++) pending.add(wal.append(List.of(entry(i, 1))));
      long seen = 0;
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      while (seen < 2_000) { // a reader polling while the writer works: the visible log only grows and every visible entry reads back
        assertTrue(System.nanoTime() - deadline < 0, "the writer made " + seen + " of 2,000 entries visible in 60 s");
        long last = wal.lastIndex();
        assertTrue(last >= seen);
        if (last > 0) assertEquals("entry-" + last + "-term-1", text(wal.entries(last, last + 1, 0).get(0)));
        seen = last;
      }
      for (CompletableFuture<Void> f : pending) await(f);
    }
  }

  @Test
  void closeWithQueuedAppendsCompletesOrFailsEveryFuture() throws Exception {
    Wal wal = Wal.open(config(dir, clock));
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (long i = 1; i <= 5_000; i++) futures.add(wal.append(List.of(entry(i, 1))));
    wal.close();
    futures.add(wal.append(List.of(entry(5_001, 1))));
    int completed = 0;
    for (CompletableFuture<Void> f : futures) {
      try {
        f.get(20, TimeUnit.SECONDS);
        completed++;
      } catch (ExecutionException e) {
        assertTrue(e.getCause() instanceof IllegalStateException, e.getCause().toString());
      }
    }
    assertTrue(completed >= 1);
    try (Wal reopened = Wal.open(config(dir, clock))) {
      assertEquals(completed, reopened.lastIndex(), "every completed append is durable, no failed one is");
    }
  }

  @Test
  void fullIntakeFailsFast() throws Exception {
    try (Wal wal = Wal.open(config(dir, clock).withMaxQueuedWrites(1))) {
      List<CompletableFuture<Void>> futures = new ArrayList<>();
      for (long i = 1; i <= 1_000; i++) futures.add(wal.append(List.of(entry(i, 1))));
      long rejected = futures.stream().filter(CompletableFuture::isCompletedExceptionally)
          .filter(f -> f.handle((v, e) -> e instanceof java.util.concurrent.RejectedExecutionException).join())
          .count();
      assertTrue(rejected > 0, "some of 1,000 writes hit the limit of 1 queued write");
    }
  }
}
