package io.vkv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.etcdserverpb.RangeRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefragmentTest {
  @TempDir Path dir;

  @Test
  void defragmentShrinksTheFileKeepsEverythingAndSurvivesReopen() throws Exception {
    try (Fixture f = new Fixture(dir)) {
      String big = "x".repeat(2000);
      for (int i = 0; i < 2000; i++) f.ok(Fixture.put("k" + i, big));
      f.ok(Fixture.put("z-keep", "v"));
      f.ok(Fixture.del("k", "l"));
      f.ok(Fixture.compact(f.store.currentRevision()));
      long before = f.store.dbSize();
      long rev = f.store.currentRevision();
      long index = f.store.consistentIndex();
      int hash = f.store.hashKV(0);
      // a reader that started before the defragment finishes on the old file
      StoreExport open = f.store.openExport();

      f.store.defragment();

      long after = f.store.dbSize();
      assertTrue(after < before / 4, () -> "dbSize " + before + " -> " + after);
      assertTrue(f.store.dbSizeInUse() <= after);
      assertEquals(after, Files.size(dir.resolve("data.mdb")));
      assertEquals(rev, open.revision());
      open.forEachVersion((main, sub, e) -> { });
      open.close();
      assertEquals(rev, f.store.currentRevision());
      assertEquals(index, f.store.consistentIndex());
      assertEquals(hash, f.store.hashKV(0));
      f.ok(Fixture.put("after", "1"));
      f.store.defragment(); // a second one replaces the first one's environment
      f.ok(Fixture.put("after", "2"));

      f.reopen();
      assertEquals("v", f.kv("z-keep").getValue().toStringUtf8());
      assertEquals("2", f.kv("after").getValue().toStringUtf8());
      assertEquals(0, f.store.range(RangeRequest.newBuilder().setKey(Fixture.bs("k")).setRangeEnd(Fixture.bs("l"))
          .build()).getCount());
      try (Stream<Path> files = Files.list(dir)) {
        assertEquals(0, files.filter(p -> p.getFileName().toString().startsWith("defrag-")).count(),
            "the work dirs are gone");
      }
    }
  }
}
