package io.vkv.wal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.queue.RollCycles;

/** Shared test fixtures: a settable clock (to force cycle rolls) and entry builders. */
final class WalTesting {
  static final long HOUR = 3_600_000L;

  private WalTesting() { }

  static final class Clock {
    final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

    void nextHour() {
      millis.addAndGet(HOUR);
    }
  }

  static WalConfig config(Path dir, Clock clock) {
    return WalConfig.defaults(dir).withRollCycle(RollCycles.FAST_HOURLY).withClockMillis(clock.millis::get);
  }

  static WalEntry entry(long index, long term) {
    return new WalEntry(index, term, 0, ("entry-" + index + "-term-" + term).getBytes(StandardCharsets.UTF_8));
  }

  static List<WalEntry> entries(long from, long toInclusive, long term) {
    List<WalEntry> list = new ArrayList<>();
    for (long i = from; i <= toInclusive; i++) list.add(entry(i, term));
    return list;
  }

  static String text(WalEntry e) {
    return new String(e.data(), StandardCharsets.UTF_8);
  }

  static <T> T await(CompletableFuture<T> f) throws Exception {
    try {
      return f.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("future did not complete in 20 s", e);
    }
  }
}
