package io.vkv.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.vkv.api.etcdserverpb.WatchCreateRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rough, JOL-free measure of the heap an idle watcher costs (watcher, its key, its index
 * entry), printed for the record; heap deltas are noisy, so nothing is asserted on the number.
 */
class WatcherFootprintTest {
  private static final int N = 100_000;

  private static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  @Test
  void idleWatcherBytes() {
    FakeStore store = new FakeStore();
    WatchHub hub = new WatchHub(store, WatchHubConfig.DEFAULT);
    TestSink sink = new TestSink();
    // keys are made up front: the request's key bytes are shared, and counted separately
    List<ByteString> keys = new ArrayList<>(N);
    for (int i = 0; i < N; i++) {
      keys.add(ByteString.copyFromUtf8(String.format("/registry/pods/%08d", i)));
    }
    long before = usedAfterGc();
    for (int i = 0; i < N; i++) {
      hub.watch(sink, i, WatchCreateRequest.newBuilder().setKey(keys.get(i)).build());
    }
    long exact = usedAfterGc() - before;
    before = usedAfterGc();
    for (int i = 0; i < N - 1; i++) {
      hub.watch(sink, i, WatchCreateRequest.newBuilder().setKey(keys.get(i))
          .setRangeEnd(keys.get(i + 1)).build());
    }
    long ranged = usedAfterGc() - before;
    assertEquals(2 * N - 1, hub.syncedCount());
    System.out.printf("idle watcher footprint (excluding its key bytes): exact %d B, range %d B%n",
        exact / N, ranged / (N - 1));
  }
}
