package io.vkv.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CompleterTest {
  private static List<PendingWrite> batch(int size, int firstId, List<Integer> completedIds, CountDownLatch gate) {
    List<PendingWrite> writes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      int id = firstId + i;
      PendingWrite.Truncate w = new PendingWrite.Truncate(id);
      w.done().thenRun(() -> {
        completedIds.add(id);
        if (gate != null) await(gate);
      });
      writes.add(w);
    }
    return writes;
  }

  private static void await(CountDownLatch gate) {
    try {
      assertTrue(gate.await(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aSmallBatchIsCompletedOnTheCallingThread() {
    try (Completer completer = new Completer()) {
      List<Integer> ids = new CopyOnWriteArrayList<>();
      List<PendingWrite> small = batch(Completer.INLINE_MAX, 0, ids, null);
      completer.complete(small, true);
      assertTrue(small.stream().allMatch(w -> w.done().isDone()));
      assertEquals(Completer.INLINE_MAX, ids.size());
    }
  }

  @Test
  void batchesCompleteInTheirOrderAndAnUnhandedBatchIsCompleteOnReturn() throws Exception {
    List<Integer> ids = new CopyOnWriteArrayList<>();
    CountDownLatch gate = new CountDownLatch(1);
    try (Completer completer = new Completer()) {
      // a large batch goes to the completer thread, which is held inside its first completion
      List<PendingWrite> large = batch(Completer.INLINE_MAX + 1, 0, ids, gate);
      completer.complete(large, true);
      // a small batch while the large one is pending must not overtake it
      List<PendingWrite> small = batch(1, 100, ids, null);
      completer.complete(small, true);
      assertTrue(ids.size() <= 1, "nothing but the held completion ran yet: " + ids);
      // the Raft loop's path, on another thread: complete on return, yet after every batch before it
      List<PendingWrite> direct = batch(1, 200, ids, null);
      Thread caller = new Thread(() -> completer.complete(direct, false));
      caller.start();
      assertFalse(direct.get(0).done().isDone(), "completed before the batches ahead of it");
      gate.countDown();
      caller.join(TimeUnit.SECONDS.toMillis(10));
      assertFalse(caller.isAlive());
      assertTrue(direct.get(0).done().isDone());
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i <= Completer.INLINE_MAX; i++) expected.add(i);
      expected.add(100);
      expected.add(200);
      assertEquals(expected, ids);
    }
  }
}
