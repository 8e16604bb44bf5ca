package io.vkv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.api.internal.InternalRequest;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentReadTest {
  @TempDir Path dir;

  @Test
  void readersSeeConsistentSnapshotsWhileTheWriterApplies() throws Exception {
    try (Fixture f = new Fixture(dir)) {
      AtomicBoolean done = new AtomicBoolean();
      CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
        long lastRevision = 0;
        long reads = 0;
        while (!done.get()) {
          RangeResponse r = f.range(Fixture.rangeReq("k", "l").build());
          // every applied batch adds exactly one key per revision: count and revision move together
          assertEquals(r.getHeader().getRevision() - 1, r.getCount());
          assertTrue(r.getHeader().getRevision() >= lastRevision);
          lastRevision = r.getHeader().getRevision();
          reads++;
        }
        return reads;
      });
      for (int b = 0; b < 100; b++) {
        InternalRequest[] batch = new InternalRequest[20];
        for (int i = 0; i < batch.length; i++) batch[i] = Fixture.put(String.format("k%05d", b * 20 + i), "v");
        for (ApplyResult r : f.applyAll(batch)) assertNull(r.error());
      }
      done.set(true);
      assertTrue(reader.get(30, TimeUnit.SECONDS) > 0);
      assertEquals(2001, f.store.currentRevision());
    }
  }
}
