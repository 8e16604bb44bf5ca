package io.vkv.bench.probe;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;

/**
 * How long fdatasync takes after appending one record to a file, written through a shared mapping (as Chronicle
 * Queue writes the WAL) or with write(), after {@code prefill} MiB were appended the same way (issue #13: vkv's WAL
 * fsync grows to ~1.2 ms once tens of MiB went through the mapping, where write() stays at ~0.12 ms).
 *
 * <pre>java -cp benchmarks/target/vkv-bench.jar io.vkv.bench.probe.MmapFsyncProbe DIR mmap|write RECORD_BYTES PREFILL_MIB COUNT</pre>
 */
public final class MmapFsyncProbe {
  private static final long FILE_SIZE = 256L << 20;

  public static void main(String[] args) throws IOException {
    if (args.length != 5) {
      System.err.println("usage: MmapFsyncProbe DIR mmap|write RECORD_BYTES PREFILL_MIB COUNT");
      System.exit(2);
    }
    Path file = Files.createTempFile(Path.of(args[0]), "fsync-probe", ".dat");
    boolean mapped = args[1].equals("mmap");
    int record = Integer.parseInt(args[2]);
    long prefill = Long.parseLong(args[3]) << 20;
    int count = Integer.parseInt(args[4]);
    try {
      long[] nanos = run(file, mapped, record, prefill, count);
      Arrays.sort(nanos);
      System.out.printf("%s, %d B records after %d MiB: fdatasync p10 %.3f p50 %.3f p90 %.3f ms%n", args[1], record,
          prefill >> 20, ms(nanos[count / 10]), ms(nanos[count / 2]), ms(nanos[count * 9 / 10]));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static long[] run(Path file, boolean mapped, int record, long prefill, int count) throws IOException {
    try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength(FILE_SIZE); // sparse, as Chronicle's cycle files are
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      MappedByteBuffer map = mapped ? channel.map(FileChannel.MapMode.READ_WRITE, 0, FILE_SIZE) : null;
      byte[] data = new byte[record];
      new Random(1).nextBytes(data);
      long position = 0;
      for (int i = 0; position < prefill; i++, position += record) {
        append(channel, map, position, data);
        if (i % 64 == 0) channel.force(false); // group commits of 64 records
      }
      channel.force(false);
      long[] nanos = new long[count];
      for (int i = 0; i < count; i++, position += record) {
        append(channel, map, position, data);
        long start = System.nanoTime();
        channel.force(false);
        nanos[i] = System.nanoTime() - start;
      }
      return nanos;
    }
  }

  private static void append(FileChannel channel, MappedByteBuffer map, long position, byte[] data) throws IOException {
    if (map != null) {
      map.put((int) position, data);
    } else {
      channel.write(ByteBuffer.wrap(data), position);
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private MmapFsyncProbe() {}
}
