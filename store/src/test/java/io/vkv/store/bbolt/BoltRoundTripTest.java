package io.vkv.store.bbolt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoltRoundTripTest {
  @TempDir
  Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Keys 8-byte big-endian so byte order is numeric order; values of varied size, some larger than a page. */
  private static List<byte[][]> entries(int n, long seed) {
    Random r = new Random(seed);
    List<byte[][]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] v = new byte[i % 997 == 0 ? 10_000 + r.nextInt(20_000) : r.nextInt(200)];
      r.nextBytes(v);
      out.add(new byte[][] {ByteBuffer.allocate(8).putLong(i * 3L).array(), v});
    }
    return out;
  }

  @Test
  void writesAndReadsBackManyKeysNestedBucketsAndOverflowPages() throws IOException {
    Path file = dir.resolve("a.db");
    List<byte[][]> big = entries(20_000, 1);
    try (BoltWriter w = BoltWriter.create(file)) {
      w.beginBucket(b("big"));
      for (byte[][] e : big) w.put(e[0], e[1]);
      w.endBucket();
      w.beginBucket(b("empty"));
      w.endBucket();
      w.beginBucket(b("outer"));
      w.put(b("a"), b("1"));
      w.beginBucket(b("inner"));
      w.put(b("x"), b("y"));
      w.endBucket();
      w.put(b("z"), b("2"));
      w.endBucket();
      w.beginBucket(b("small"));
      w.put(b("k"), b("v"));
      w.endBucket();
      BoltMeta meta = w.finish();
      assertEquals(meta.size(), Files.size(file));
    }
    try (BoltReader r = BoltReader.open(file)) {
      List<String> names = new ArrayList<>();
      r.forEach(r.root(), (k, v, bucket) -> {
        assertTrue(bucket);
        names.add(new String(k, StandardCharsets.UTF_8));
      });
      assertEquals(List.of("big", "empty", "outer", "small"), names);

      List<byte[][]> read = new ArrayList<>();
      r.forEach(r.bucket(r.root(), b("big")), (k, v, bucket) -> read.add(new byte[][] {k, v}));
      assertEquals(big.size(), read.size());
      for (int i = 0; i < big.size(); i++) {
        assertArrayEquals(big.get(i)[0], read.get(i)[0]);
        assertArrayEquals(big.get(i)[1], read.get(i)[1], "value " + i);
      }

      int[] none = {0};
      r.forEach(r.bucket(r.root(), b("empty")), (k, v, bucket) -> none[0]++);
      assertEquals(0, none[0]);

      BoltBucket outer = r.bucket(r.root(), b("outer"));
      List<String> outerKeys = new ArrayList<>();
      r.forEach(outer, (k, v, bucket) -> outerKeys.add(new String(k, StandardCharsets.UTF_8) + (bucket ? "/" : "")));
      assertEquals(List.of("a", "inner/", "z"), outerKeys);
      BoltBucket inner = r.bucket(outer, b("inner"));
      assertNotNull(inner);
      r.forEach(inner, (k, v, bucket) -> assertArrayEquals(b("y"), v));

      BoltBucket small = r.bucket(r.root(), b("small"));
      assertEquals(0, small.root(), "a small bucket is stored inline, as bbolt does");
      assertNull(r.bucket(r.root(), b("missing")));
      assertEquals(0, r.freePages().length);
    }
  }

  @Test
  void findsBucketsInARootThatSpansSeveralPages() throws IOException {
    Path file = dir.resolve("many.db");
    try (BoltWriter w = BoltWriter.create(file)) {
      for (int i = 0; i < 3000; i++) {
        w.beginBucket(b(String.format("bucket-%05d", i)));
        w.put(b("n"), b(Integer.toString(i)));
        w.endBucket();
      }
      w.finish();
    }
    try (BoltReader r = BoltReader.open(file)) {
      for (int i : new int[] {0, 1, 1234, 2999}) {
        byte[][] got = new byte[1][];
        r.forEach(r.bucket(r.root(), b(String.format("bucket-%05d", i))), (k, v, bucket) -> got[0] = v);
        assertArrayEquals(b(Integer.toString(i)), got[0]);
      }
    }
  }

  @Test
  void refusesKeysOutOfOrder() throws IOException {
    try (BoltWriter w = BoltWriter.create(dir.resolve("x.db"))) {
      w.beginBucket(b("b"));
      w.put(b("2"), b(""));
      assertThrows(IllegalArgumentException.class, () -> w.put(b("1"), b("")));
    }
  }

  @Test
  void detectsDamage() throws IOException {
    Path file = dir.resolve("d.db");
    try (BoltWriter w = BoltWriter.create(file)) {
      w.beginBucket(b("big"));
      for (byte[][] e : entries(2000, 2)) w.put(e[0], e[1]);
      w.endBucket();
      w.finish();
    }
    byte[] whole = Files.readAllBytes(file);

    Path truncated = dir.resolve("t.db");
    Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
    BoltFormatException e = assertThrows(BoltFormatException.class, () -> BoltReader.open(truncated));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());

    Path badMetas = dir.resolve("m.db");
    byte[] copy = whole.clone();
    copy[16 + 20] ^= 1; // both meta pages' root fields
    copy[4096 + 16 + 20] ^= 1;
    Files.write(badMetas, copy);
    e = assertThrows(BoltFormatException.class, () -> BoltReader.open(badMetas));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());

    Path badPage = dir.resolve("p.db");
    Files.write(badPage, whole);
    try (RandomAccessFile raf = new RandomAccessFile(badPage.toFile(), "rw")) {
      raf.seek(whole.length - 2 * 4096L); // the id of the bucket's root branch, written just before the root's leaf
      raf.write(new byte[] {(byte) 0x77});
    }
    assertThrows(BoltFormatException.class, () -> {
      try (BoltReader r = BoltReader.open(badPage)) {
        r.forEach(r.bucket(r.root(), b("big")), (k, v, bucket) -> {});
      }
    });
  }
}
