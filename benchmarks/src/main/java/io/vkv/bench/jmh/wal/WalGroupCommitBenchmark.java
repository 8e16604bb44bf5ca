package io.vkv.bench.jmh.wal;

import io.vkv.bench.jmh.BenchDirs;
import io.vkv.wal.Wal;
import io.vkv.wal.WalConfig;
import io.vkv.wal.WalEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Entries/s under group commit: N threads each append one 256 B entry and wait until it is durable, then the
 * next. The score (ops/s summed over threads) is durable entries per second; the forces per second and the
 * mean batch are reported as secondary results through the fsync hook.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WalGroupCommitBenchmark {
  @State(Scope.Benchmark)
  public static class SharedWal {
    Path dir;
    Wal wal;
    final byte[] payload = new byte[WalAppendBenchmark.ENTRY_BYTES];
    final AtomicLong forces = new AtomicLong();
    long next;

    @Setup(Level.Iteration)
    public void open() {
      dir = BenchDirs.create("wal-gc-bench");
      wal = Wal.open(WalConfig.defaults(dir).withFsyncNanos(n -> forces.incrementAndGet()));
      next = 1;
      forces.set(0);
    }

    /** Indexes must reach the WAL in order; the lock covers only the enqueue, not the wait. */
    synchronized CompletableFuture<Void> appendNext() {
      return wal.append(List.of(new WalEntry(next++, 1, 0, payload)));
    }

    @TearDown(Level.Iteration)
    public void close() {
      long entries = next - 1;
      System.out.printf("%n  [%d entries, %d forces, %.1f entries per force]%n", entries, forces.get(),
          entries / (double) Math.max(1, forces.get()));
      wal.close();
      BenchDirs.delete(dir);
    }
  }

  @Benchmark
  @Threads(1)
  public void appenders001(SharedWal s, Blackhole bh) {
    bh.consume(s.appendNext().join());
  }

  @Benchmark
  @Threads(16)
  public void appenders016(SharedWal s, Blackhole bh) {
    bh.consume(s.appendNext().join());
  }

  @Benchmark
  @Threads(256)
  public void appenders256(SharedWal s, Blackhole bh) {
    bh.consume(s.appendNext().join());
  }
}
