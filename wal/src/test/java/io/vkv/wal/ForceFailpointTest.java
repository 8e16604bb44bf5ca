package io.vkv.wal;

import static io.vkv.wal.WalTesting.await;
import static io.vkv.wal.WalTesting.config;
import static io.vkv.wal.WalTesting.entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForceFailpointTest {
  @TempDir Path dir;
  final WalTesting.Clock clock = new WalTesting.Clock();

  private void set(Path file, String value) throws Exception {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, value);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static long millisOf(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  @Test
  void offWithoutTheProperty() {
    assertSame(ForceFailpoint.OFF, ForceFailpoint.fromSystemProperty());
    assertEquals(0, ForceFailpoint.OFF.delayMillis());
  }

  @Test
  void missingEmptyOrGarbledFileMeansNoDelay() throws Exception {
    Path f = dir.resolve("delay");
    ForceFailpoint fp = new ForceFailpoint(f);
    assertEquals(0, fp.delayMillis());
    set(f, "");
    assertEquals(0, new ForceFailpoint(f).delayMillis());
    set(f, "slow");
    assertEquals(0, new ForceFailpoint(f).delayMillis());
    set(f, "-5");
    assertEquals(0, new ForceFailpoint(f).delayMillis());
  }

  @Test
  void waitsTheDelayTheFileHoldsAndFollowsChanges() throws Exception {
    Path f = dir.resolve("delay");
    set(f, "150\n");
    ForceFailpoint fp = new ForceFailpoint(f);
    assertTrue(millisOf(fp::beforeForce) >= 150);
    set(f, "0");
    // re-read within a few ms: the next force goes at full speed
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (fp.delayMillis() != 0) {
      assertTrue(System.nanoTime() - deadline < 0, "the cleared delay was never re-read");
      Thread.onSpinWait();
    }
    assertTrue(millisOf(fp::beforeForce) < 100);
  }

  @Test
  void clearingAStallEndsTheForceWaitingOnIt() throws Exception {
    Path f = dir.resolve("delay");
    set(f, "60000");
    ForceFailpoint fp = new ForceFailpoint(f);
    Thread forcing = new Thread(fp::beforeForce);
    long t0 = System.nanoTime();
    forcing.start();
    forcing.join(300);
    assertTrue(forcing.isAlive(), "a stalled force must wait");
    set(f, "0");
    forcing.join(10_000);
    assertFalse(forcing.isAlive(), "the force still waits after the stall was cleared");
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
  }

  @Test
  void anInterruptEndsTheWaitAndStaysSet() throws Exception {
    Path f = dir.resolve("delay");
    set(f, "60000");
    ForceFailpoint fp = new ForceFailpoint(f);
    boolean[] interrupted = {false};
    Thread forcing = new Thread(() -> {
      fp.beforeForce();
      interrupted[0] = Thread.currentThread().isInterrupted();
    });
    forcing.start();
    forcing.interrupt();
    forcing.join(10_000);
    assertFalse(forcing.isAlive());
    assertTrue(interrupted[0]);
  }

  @Test
  void aWalStartedWithThePropertyAcknowledgesOnlyAfterTheDelay() throws Exception {
    Path f = dir.resolve("delay");
    set(f, "200");
    System.setProperty(ForceFailpoint.PROPERTY, f.toString());
    Wal wal;
    try {
      wal = Wal.open(config(dir.resolve("wal"), clock));
    } finally {
      System.clearProperty(ForceFailpoint.PROPERTY);
    }
    try (wal) {
      long slow = millisOf(() -> uncheckedAwait(wal, 1));
      assertTrue(slow >= 200, "an append was acknowledged after " + slow + " ms, before the 200 ms delay");
      set(f, "0");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      long index = 1;
      long fast;
      do {
        assertTrue(System.nanoTime() - deadline < 0, "appends stayed slow after the delay was cleared");
        long next = ++index;
        fast = millisOf(() -> uncheckedAwait(wal, next));
      } while (fast >= 200);
      assertEquals(index, wal.lastIndex());
    }
  }

  private static void uncheckedAwait(Wal wal, long index) {
    try {
      await(wal.append(entries(index, index, 1)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
