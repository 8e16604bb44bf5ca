package io.vkv.bench.jmh.wal;

import io.vkv.bench.jmh.BenchDirs;
import io.vkv.wal.Wal;
import io.vkv.wal.WalConfig;
import io.vkv.wal.WalEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One durable batch of N entries of 256 B: {@code wal} appends them and waits for the force; {@code fileChannel}
 * is the floor, a bare {@code FileChannel.write} of the same N × 256 bytes plus {@code force(false)}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WalAppendBenchmark {
  static final int ENTRY_BYTES = 256;

  @State(Scope.Thread)
  public static class WalState {
    @Param({"1", "10", "100", "1000"})
    int batch;
    Path dir;
    Wal wal;
    byte[] payload = new byte[ENTRY_BYTES];
    long next;

    @Setup(Level.Iteration)
    public void open() {
      dir = BenchDirs.create("wal-bench");
      wal = Wal.open(WalConfig.defaults(dir));
      next = 1;
    }

    List<WalEntry> nextBatch() {
      List<WalEntry> entries = new ArrayList<>(batch);
      for (int i = 0; i < batch; i++) entries.add(new WalEntry(next++, 1, 0, payload));
      return entries;
    }

    @TearDown(Level.Iteration)
    public void close() {
      wal.close();
      BenchDirs.delete(dir);
    }
  }

  @State(Scope.Thread)
  public static class FileState {
    @Param({"1", "10", "100", "1000"})
    int batch;
    Path dir;
    FileChannel channel;
    ByteBuffer bytes;

    @Setup(Level.Iteration)
    public void open() throws IOException {
      dir = BenchDirs.create("file-bench");
      channel = FileChannel.open(dir.resolve("log"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      bytes = ByteBuffer.allocateDirect(batch * ENTRY_BYTES);
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
      channel.close();
      BenchDirs.delete(dir);
    }
  }

  @Benchmark
  public void wal(WalState s) {
    s.wal.append(s.nextBatch()).join();
  }

  @Benchmark
  public void fileChannel(FileState s) throws IOException {
    s.bytes.clear();
    while (s.bytes.hasRemaining()) s.channel.write(s.bytes);
    s.channel.force(false);
  }
}
