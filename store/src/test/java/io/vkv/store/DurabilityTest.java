package io.vkv.store;

import static io.vkv.store.Fixture.compact;
import static io.vkv.store.Fixture.del;
import static io.vkv.store.Fixture.put;
import static io.vkv.store.Fixture.rangeReq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.internal.InternalRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityTest {
  @TempDir Path dir;

  private static List<LogEntry> entries(long firstIndex, InternalRequest... rs) {
    List<LogEntry> out = new ArrayList<>();
    for (InternalRequest r : rs) out.add(new LogEntry(firstIndex++, r));
    return out;
  }

  private static final InternalRequest[] SCRIPT = {
      put("a", "1"), put("b", "2"), put("a", "3"), del("b", ""), put("c", "4"), compact(3), put("d", "5")};

  @Test
  void replayedEntriesAreSkipped() {
    try (Fixture f = new Fixture(dir)) {
      List<LogEntry> batch = entries(1, SCRIPT);
      assertEquals(7, f.store.apply(batch).size());
      long rev = f.store.currentRevision();
      int hash = f.store.hashKV(0);
      assertEquals(0, f.store.apply(batch).size());
      assertEquals(rev, f.store.currentRevision());
      // a batch overlapping the applied prefix applies only the new tail
      List<LogEntry> overlap = new ArrayList<>(batch.subList(5, 7));
      overlap.addAll(entries(8, put("e", "6")));
      List<ApplyResult> results = f.store.apply(overlap);
      assertEquals(1, results.size());
      assertEquals(8, results.get(0).index());
      assertEquals(8, f.store.consistentIndex());
      assertNotEquals(hash, f.store.hashKV(0));
      assertEquals(hash, f.store.hashKV(rev));
    }
  }

  @Test
  void reopenKeepsDataRevisionsIndexAndHash() {
    Fixture f = new Fixture(dir);
    f.store.apply(entries(1, SCRIPT));
    int hash = f.store.hashKV(0);
    f.store.sync();
    f.reopen();
    assertEquals(7, f.store.consistentIndex());
    assertEquals(7, f.store.currentRevision());
    assertEquals(3, f.store.compactedRevision());
    assertEquals(hash, f.store.hashKV(0));
    assertEquals(List.of("a", "c", "d"), f.keys(rangeReq("\0", "\0").build()));
    assertEquals("3", f.kv("a").getValue().toStringUtf8());
    f.nextIndex = 8;
    f.ok(put("z", "9"));
    assertEquals(8, f.store.currentRevision());
    f.close();
  }

  @Test
  void sameEntriesGiveTheSameHashOnEveryMember() {
    try (MvccStore one = MvccStore.open(new StoreConfig(dir.resolve("one"), 0));
         MvccStore two = MvccStore.open(new StoreConfig(dir.resolve("two"), 0))) {
      one.apply(entries(1, SCRIPT));
      for (int i = 0; i < SCRIPT.length; i++) two.apply(entries(i + 1, SCRIPT[i])); // other batching
      assertEquals(one.hashKV(0), two.hashKV(0));
      assertEquals(one.hashKV(5), two.hashKV(5));
      assertNotEquals(one.hashKV(5), one.hashKV(6));
    }
  }

  @Test
  void snapshotOpensAsAStoreWithTheSameData() {
    try (Fixture f = new Fixture(dir.resolve("live"))) {
      f.store.apply(entries(1, SCRIPT));
      Path copy = dir.resolve("snap");
      f.store.snapshot(copy);
      try (MvccStore restored = MvccStore.open(new StoreConfig(copy, 0))) {
        assertEquals(f.store.hashKV(0), restored.hashKV(0));
        assertEquals(7, restored.consistentIndex());
        assertEquals(f.store.currentRevision(), restored.currentRevision());
        assertEquals(f.store.compactedRevision(), restored.compactedRevision());
        assertEquals(f.range(rangeReq("\0", "\0").build()).getKvsList(),
            restored.range(rangeReq("\0", "\0").build()).getKvsList());
        assertTrue(restored.dbSize() > 0);
      }
    }
  }

  @Test
  void restoreReplacesEverythingWithTheSnapshotAndSurvivesReopen() {
    Path copy = dir.resolve("snap");
    int hash;
    long rev;
    List<io.vkv.api.mvccpb.KeyValue> kvs;
    try (Fixture leader = new Fixture(dir.resolve("leader"))) {
      leader.store.apply(entries(1, SCRIPT));
      leader.store.apply(entries(8, put("e", "7"), put("a", "8")));
      leader.store.snapshot(copy);
      hash = leader.store.hashKV(0);
      rev = leader.store.currentRevision();
      kvs = leader.range(rangeReq("\0", "\0").build()).getKvsList();
    }
    Fixture f = new Fixture(dir.resolve("follower"));
    f.store.apply(entries(1, put("x", "old"), put("y", "old"), put("z", "old")));
    // a reader that started before the restore keeps its view
    assertEquals(3, f.range(rangeReq("\0", "\0").build()).getKvsCount());
    f.store.restore(copy);
    assertEquals(9, f.store.consistentIndex());
    assertEquals(rev, f.store.currentRevision());
    assertEquals(3, f.store.compactedRevision());
    assertEquals(hash, f.store.hashKV(0));
    assertEquals(kvs, f.range(rangeReq("\0", "\0").build()).getKvsList());
    // later entries apply on top of the restored state
    assertEquals(1, f.store.apply(entries(10, put("f", "9"))).size());
    assertEquals(rev + 1, f.store.currentRevision());
    f.reopen();
    assertEquals(10, f.store.consistentIndex());
    assertEquals(rev + 1, f.store.currentRevision());
    assertEquals(hash, f.store.hashKV(rev));
    f.close();
  }
}
