package io.vkv.wal;

import java.util.function.LongSupplier;
import net.openhft.chronicle.core.time.TimeProvider;

/**
 * The time Chronicle rolls by: the configured wall clock, but never below a floor. Raising the floor starts a
 * fresh cycle file on the next write (used after every open, so nothing is ever appended behind a torn tail),
 * and the floor also keeps a wall clock stepping backwards from sending writes into an older file.
 */
final class CycleClock implements TimeProvider {
  private final LongSupplier wallMillis;
  private volatile long floorMillis;

  CycleClock(LongSupplier wallMillis) {
    this.wallMillis = wallMillis;
  }

  @Override
  public long currentTimeMillis() {
    return Math.max(wallMillis.getAsLong(), floorMillis);
  }

  @Override
  public long currentTimeMicros() {
    return currentTimeMillis() * 1_000;
  }

  @Override
  public long currentTimeNanos() {
    return currentTimeMillis() * 1_000_000;
  }

  /** Makes the current time at least {@code millis}. */
  void raiseFloor(long millis) {
    if (millis > floorMillis) floorMillis = millis;
  }
}
