package io.vkv.store;

import static io.vkv.store.Fixture.compact;
import static io.vkv.store.Fixture.del;
import static io.vkv.store.Fixture.put;
import static io.vkv.store.Fixture.rangeReq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vkv.api.mvccpb.Event;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Txn;

/**
 * The in-memory {@link KeyIndex} behind reads at older revisions and watch events' prev_kv: rebuilt from history
 * whenever the store opens, defragments or restores, and free of the versions of a transaction that aborted.
 */
class KeyIndexStoreTest {
  @TempDir Path dir;

  /** Every revision's key space (keys and values) and every event with its prev_kv. */
  private static List<Object> everything(Fixture f) {
    List<Object> out = new ArrayList<>();
    long rev = f.store.currentRevision();
    for (long r = f.store.compactedRevision() + 1; r <= rev; r++) {
      out.add(r + ": " + f.range(rangeReq("\0", "\0").setRevision(r).build()).getKvsList());
    }
    out.add(f.store.history(f.store.compactedRevision() + 1, rev, 1_000));
    return out;
  }

  private static void script(Fixture f) {
    f.ok(put("a", "1"));
    f.ok(put("b", "1"));
    f.ok(put("a", "2"));
    f.ok(del("b", ""));
    f.ok(put("c", "1"));
    f.ok(compact(3));
    f.ok(put("b", "2"));
    f.ok(put("a", "3"));
    f.ok(del("c", ""));
  }

  @Test
  void olderRevisionsAndPrevKvsReadTheSameAfterReopenDefragmentAndRestore() {
    Path copy = dir.resolve("snapshot");
    List<Object> expected;
    try (Fixture f = new Fixture(dir.resolve("one"))) {
      script(f);
      expected = everything(f);
      assertEquals(7, expected.size(), "revisions 4 to 9 (compacted at 3), and the events");
      List<?> events = (List<?>) expected.get(expected.size() - 1);
      Event secondPutOfB = (Event) events.get(3); // 4 put a, 5 del b, 6 put c, 7 put b, 8 put a, 9 del c
      assertEquals("b", secondPutOfB.getKv().getKey().toStringUtf8(), events.toString());
      assertEquals(false, secondPutOfB.hasPrevKv(), "b was deleted before");
      Event thirdPutOfA = (Event) events.get(4);
      assertEquals("2", thirdPutOfA.getPrevKv().getValue().toStringUtf8(), events.toString());

      f.reopen();
      assertEquals(expected, everything(f), "after reopening");
      f.store.defragment();
      assertEquals(expected, everything(f), "after a defragment");
      f.store.snapshot(copy);
    }
    try (Fixture other = new Fixture(dir.resolve("other"))) {
      other.ok(put("x", "1"));
      other.ok(put("a", "x"));
      other.store.restore(copy);
      assertEquals(expected, everything(other), "after a restore");
    }
  }

  @Test
  void aBatchWhoseCommitFailedLeavesNoVersionInTheIndex() throws Exception {
    Path disk = dir.resolve("disk");
    CommitFailpoint full = new CommitFailpoint(disk);
    try (MvccStore store = MvccStore.open(new StoreConfig(dir.resolve("store"), 0), full)) {
      store.apply(List.of(new LogEntry(1, put("a", "1")))); // revision 2
      CommitFailpointTest.set(disk, CommitFailpoint.FULL);
      CommitFailpointTest.awaitFull(full, true);
      assertThrows(UncheckedIOException.class,
          () -> store.apply(List.of(new LogEntry(2, put("a", "2")), new LogEntry(3, put("b", "2")))));
      CommitFailpointTest.set(disk, "");
      CommitFailpointTest.awaitFull(full, false);
      // other writes take revisions 3 and 4 (the aborted batch had given them to a and b), then 5
      store.apply(List.of(new LogEntry(2, put("c", "3")), new LogEntry(3, put("d", "4"))));
      store.apply(List.of(new LogEntry(4, put("e", "5"))));
      assertEquals(List.of("a=1", "c=3"), keyValues(store, 3));
      assertEquals(List.of("a=1", "c=3", "d=4"), keyValues(store, 4));
      store.apply(List.of(new LogEntry(5, put("a", "6"))));
      assertEquals("a=1", keyValue(store.history(6, 6, 10).get(0).getPrevKv()), "a's version before revision 6");
    }
  }

  private static List<String> keyValues(MvccStore store, long revision) {
    return store.range(rangeReq("\0", "\0").setRevision(revision).build()).getKvsList().stream()
        .map(KeyIndexStoreTest::keyValue).toList();
  }

  private static String keyValue(io.vkv.api.mvccpb.KeyValue kv) {
    return kv.getKey().toStringUtf8() + "=" + kv.getValue().toStringUtf8();
  }

  @Test
  void aStoreThatKeptItsLatestVersionsAndVersionIndexOnDiskHasThemEmptiedOnOpen() {
    try (Fixture f = new Fixture(dir)) {
      f.ok(put("a", "1"));
      f.ok(put("b", "2"));
    }
    // what a store written before the key index had besides history: a stale latest value and an index record
    try (Tables t = Tables.open(dir, 1L << 30); Txn<ByteBuffer> txn = t.env.txnWrite()) {
      ByteBuffer key = ByteBuffer.allocateDirect(8).putLong(0, 42);
      ByteBuffer val = ByteBuffer.allocateDirect(1).put(0, (byte) 0);
      t.keyrevs.put(txn, key, val);
      byte[] encoded = KeyCodec.encode("a".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      byte[] stale = io.vkv.api.mvccpb.KeyValue.newBuilder().setKey(Fixture.bs("a")).setValue(Fixture.bs("stale"))
          .build().toByteArray();
      t.current.put(txn, ByteBuffer.allocateDirect(encoded.length).put(encoded).flip(),
          ByteBuffer.allocateDirect(stale.length).put(stale).flip());
      txn.commit();
    }
    try (Fixture f = new Fixture(dir)) {
      assertEquals("1", f.kv("a").getValue().toStringUtf8());
      assertEquals(List.of("a", "b"), f.keys(rangeReq("\0", "\0").build()));
    }
    try (Tables t = Tables.open(dir, 1L << 30); Txn<ByteBuffer> txn = t.env.txnRead()) {
      assertEquals(0, t.keyrevs.stat(txn).entries);
      assertEquals(0, t.current.stat(txn).entries);
    }
  }

  /**
   * A read whose transaction is older than a compaction that committed while it read may find the index without a
   * version it needed: it must not answer from that, but read again in a newer transaction.
   */
  @Test
  void aHeadReadOverlappingACompactionAboveItsRevisionReadsAgain() {
    try (Fixture f = new Fixture(dir)) {
      f.ok(put("a", "1")); // revision 2
      List<String> seen = new ArrayList<>();
      String answer = f.store.readIndexed((g, txn, m) -> {
        if (seen.isEmpty()) {
          // between this transaction's start and its read: a newer version and a compaction above both
          f.store.apply(List.of(new LogEntry(100, put("a", "2")), new LogEntry(101, compact(3))));
        }
        io.vkv.api.mvccpb.KeyValue kv = LiveKeys.get(g.tables, txn, m.revision(), Fixture.bs("a"));
        String value = kv == null ? "none" : kv.getValue().toStringUtf8();
        seen.add(m.revision() + ":" + value);
        return value;
      });
      // the first attempt, at revision 2, found a's version at 2 dropped from the index and was not answered
      assertEquals(List.of("2:none", "3:2"), seen);
      assertEquals("2", answer);
    }
  }
}
