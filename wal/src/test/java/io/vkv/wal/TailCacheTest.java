package io.vkv.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class TailCacheTest {
  private static WalEntry entry(long index, long term, int bytes) {
    return new WalEntry(index, term, 0, new byte[bytes]);
  }

  private static List<Long> indexes(List<WalEntry> entries) {
    return entries.stream().map(WalEntry::index).toList();
  }

  private static List<Long> terms(List<WalEntry> entries) {
    return entries.stream().map(WalEntry::term).toList();
  }

  @Test
  void readsWhatWasAppendedAndNothingOutsideIt() {
    TailCache cache = new TailCache();
    for (long i = 5; i <= 9; i++) cache.append(entry(i, 1, 10));
    assertEquals(List.of(5L, 6L, 7L, 8L, 9L), indexes(cache.read(5, 10, Long.MAX_VALUE)));
    assertEquals(List.of(7L), indexes(cache.read(7, 8, Long.MAX_VALUE)));
    assertNull(cache.read(4, 6, Long.MAX_VALUE), "index 4 was never kept");
    assertNull(cache.read(9, 11, Long.MAX_VALUE), "index 10 does not exist");
  }

  @Test
  void stopsAtMaxBytesButGivesAtLeastOne() {
    TailCache cache = new TailCache();
    for (long i = 1; i <= 4; i++) cache.append(entry(i, 1, 100));
    assertEquals(List.of(1L, 2L), indexes(cache.read(1, 5, 250)));
    assertEquals(List.of(1L), indexes(cache.read(1, 5, 0)));
  }

  @Test
  void anOverwriteDropsTheOldSuffix() {
    TailCache cache = new TailCache();
    for (long i = 1; i <= 5; i++) cache.append(entry(i, 1, 10));
    cache.append(entry(3, 2, 10)); // a new leader's entry at 3 replaces 3..5
    assertEquals(List.of(1L, 1L, 2L), terms(cache.read(1, 4, Long.MAX_VALUE)));
    assertNull(cache.read(4, 5, Long.MAX_VALUE));
  }

  @Test
  void truncateAndCompactDropTheirEnds() {
    TailCache cache = new TailCache();
    for (long i = 1; i <= 10; i++) cache.append(entry(i, 1, 10));
    cache.truncateFrom(8);
    assertNull(cache.read(7, 9, Long.MAX_VALUE));
    cache.compactTo(3);
    assertNull(cache.read(3, 5, Long.MAX_VALUE));
    assertEquals(List.of(4L, 5L, 6L, 7L), indexes(cache.read(4, 8, Long.MAX_VALUE)));
    cache.compactTo(20); // a snapshot past the end
    assertNull(cache.read(7, 8, Long.MAX_VALUE));
    cache.append(entry(21, 3, 10));
    assertEquals(List.of(21L), indexes(cache.read(21, 22, Long.MAX_VALUE)));
  }

  @Test
  void aGapStartsOver() {
    TailCache cache = new TailCache();
    cache.append(entry(1, 1, 10));
    cache.append(entry(5, 1, 10));
    assertNull(cache.read(1, 2, Long.MAX_VALUE));
    assertEquals(List.of(5L), indexes(cache.read(5, 6, Long.MAX_VALUE)));
  }

  @Test
  void keepsOnlyTheNewestEntriesWithinItsBounds() {
    TailCache cache = new TailCache();
    long n = TailCache.CAPACITY * 2L;
    for (long i = 1; i <= n; i++) cache.append(entry(i, 1, 1));
    assertNull(cache.read(n - TailCache.CAPACITY, n + 1, Long.MAX_VALUE));
    assertEquals(TailCache.CAPACITY - 1, cache.read(n - TailCache.CAPACITY + 2, n + 1, Long.MAX_VALUE).size());

    TailCache big = new TailCache();
    int third = (int) (TailCache.MAX_BYTES / 3) + 1;
    for (long i = 1; i <= 4; i++) big.append(entry(i, 1, third));
    assertNull(big.read(2, 3, Long.MAX_VALUE), "over the byte bound the oldest go first");
    assertEquals(List.of(3L, 4L), indexes(big.read(3, 5, Long.MAX_VALUE)));
  }
}
