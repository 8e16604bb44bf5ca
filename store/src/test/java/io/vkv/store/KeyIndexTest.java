package io.vkv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyIndexTest {
  private static final byte[] A = KeyCodec.encode("a".getBytes(StandardCharsets.UTF_8));
  private static final byte[] B = KeyCodec.encode("b".getBytes(StandardCharsets.UTF_8));

  private static KeyIndex.Version put(long main, long sub) {
    return new KeyIndex.Version(main, sub, false);
  }

  private static KeyIndex.Version tombstone(long main, long sub) {
    return new KeyIndex.Version(main, sub, true);
  }

  /** a: put 2.0, put 4.0, delete 5.0, put 7.1. */
  private static KeyIndex indexOfA() {
    KeyIndex index = new KeyIndex();
    index.add(A, 2, 0, false);
    index.add(A, 4, 0, false);
    index.add(A, 5, 0, true);
    index.add(A, 7, 1, false);
    index.commit();
    return index;
  }

  @Test
  void aKeyAtARevisionIsItsNewestVersionAtOrBelowIt() {
    KeyIndex.Versions a = indexOfA().versions(A);
    assertNull(a.at(1));
    assertEquals(put(2, 0), a.at(2));
    assertEquals(put(2, 0), a.at(3));
    assertEquals(put(4, 0), a.at(4));
    assertEquals(tombstone(5, 0), a.at(6));
    assertEquals(put(7, 1), a.at(7));
    assertEquals(put(7, 1), a.at(Long.MAX_VALUE));
    assertEquals(2, a.newestAtOrBelow(5, 0));
    assertEquals(2, a.newestAtOrBelow(7, 0), "7.0 is below 7.1");
    assertEquals(-1, a.newestAtOrBelow(2, -1));
  }

  @Test
  void compactionKeepsLaterVersionsAndTheNewestPutAtOrBelow() {
    KeyIndex.Versions a = indexOfA().versions(A);
    assertSame(a, a.compacted(1), "nothing at or below 1");
    assertSame(a, a.compacted(3), "2.0 is the newest at or below 3: kept");
    assertEquals(List.of(put(4, 0), tombstone(5, 0), put(7, 1)), all(a.compacted(4)));
    assertEquals(List.of(put(7, 1)), all(a.compacted(5)), "a tombstone at or below the revision goes");
    assertEquals(List.of(put(7, 1)), all(a.compacted(100)));
    KeyIndex index = new KeyIndex();
    index.add(B, 3, 0, false);
    index.add(B, 6, 0, true);
    index.commit();
    assertNull(index.versions(B).compacted(6), "a key deleted at or below the revision leaves the index");
  }

  @Test
  void compactionReportsWhatItDropsAndTheIndexDropsItOnCommit() {
    KeyIndex index = indexOfA();
    index.add(B, 8, 0, false);
    index.add(B, 9, 0, true);
    index.commit();
    List<String> dropped = new ArrayList<>();
    index.compact(9, (main, sub) -> dropped.add(main + "." + sub));
    assertEquals(List.of("2.0", "4.0", "5.0", "8.0", "9.0"), dropped);
    assertEquals(2, index.size(), "nothing dropped before the commit");
    assertEquals(0, index.compactedThrough());
    index.commit();
    assertEquals(List.of(put(7, 1)), all(index.versions(A)));
    assertNull(index.versions(B));
    assertEquals(9, index.compactedThrough());
  }

  @Test
  void twoCompactionsAndLaterWritesOfOneTransactionAllApplyAtCommit() {
    KeyIndex index = indexOfA();
    index.compact(4, (main, sub) -> { });
    index.compact(5, (main, sub) -> { });
    index.add(A, 8, 0, false);
    index.commit();
    assertEquals(List.of(put(7, 1), put(8, 0)), all(index.versions(A)));
    assertEquals(5, index.compactedThrough());
  }

  @Test
  void rollbackForgetsWhatTheAbortedTransactionAddedAndCompacted() {
    KeyIndex index = indexOfA();
    KeyIndex.Versions before = index.versions(A);
    index.add(A, 8, 0, false);
    index.add(B, 8, 1, false);
    index.add(A, 9, 0, true);
    index.compact(8, (main, sub) -> { });
    assertEquals(put(8, 0), index.versions(A).at(8), "the writer sees its own versions at once");
    index.rollback();
    assertEquals(all(before), all(index.versions(A)));
    assertNull(index.versions(B));
    index.commit(); // nothing left to apply
    assertEquals(0, index.compactedThrough());
    // the slots the aborted versions used are written again; the snapshot taken before is unchanged
    index.add(A, 8, 0, true);
    index.commit();
    assertEquals(tombstone(8, 0), index.versions(A).at(8));
    assertEquals(put(7, 1), before.at(8));
  }

  @Test
  void keysIterateInEncodedOrder() {
    KeyIndex index = indexOfA();
    index.add(B, 8, 0, false);
    index.commit();
    java.util.Iterator<KeyIndex.Entry> all = index.from(new byte[0]);
    assertEquals(A, all.next().key);
    assertEquals(B, all.next().key);
    assertFalse(all.hasNext());
    java.util.Iterator<KeyIndex.Entry> fromB = index.from(B);
    assertEquals(B, fromB.next().key);
    assertFalse(fromB.hasNext());
  }

  private static List<KeyIndex.Version> all(KeyIndex.Versions v) {
    List<KeyIndex.Version> out = new ArrayList<>();
    for (int i = 0; i < v.count(); i++) out.add(v.version(i));
    return out;
  }
}
