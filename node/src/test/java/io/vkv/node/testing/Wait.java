package io.vkv.node.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way tests wait: poll a condition until it holds or a deadline passes, never a fixed sleep. Polls back off
 * from 5 ms to 100 ms, so a cheap condition is seen at once and an expensive one (an RPC, an etcdctl run) does not
 * load the machine. Shared with other modules' tests through node's test-jar.
 */
public final class Wait {
  private static final long FIRST_PAUSE_MS = 5;
  private static final long MAX_PAUSE_MS = 100;

  private Wait() {
  }

  /** A condition that may throw: whatever it throws fails the wait at once. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /** Assertions that may throw a checked exception too. */
  @FunctionalInterface
  public interface Check {
    void run() throws Exception;
  }

  /** Polls {@code condition} until it holds; fails after {@code timeout} naming {@code what} was awaited. */
  public static void until(Duration timeout, String what, Condition condition) {
    until(timeout, () -> what, condition);
  }

  /** As {@link #until(Duration, String, Condition)}; {@code what} is built on failure, so it can show the state. */
  public static void until(Duration timeout, Supplier<String> what, Condition condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (long pause = FIRST_PAUSE_MS; ; pause = Math.min(2 * pause, MAX_PAUSE_MS)) {
      try {
        if (condition.holds()) return;
      } catch (RuntimeException e) {
        throw e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what.get(), e);
      } catch (Exception e) {
        throw new AssertionError("failed waiting for " + what.get(), e);
      }
      if (System.nanoTime() - deadline > 0) throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what.get());
      pause(pause, what);
    }
  }

  /**
   * Polls {@code probe} until {@code done} accepts its value, and returns that value. An exception from the probe
   * counts as "not yet" (a server still starting, a member failing over); an {@link Error} such as a failed assertion
   * fails at once. After {@code timeout} fails naming {@code what} and the last value or exception seen.
   */
  public static <T> T until(Duration timeout, String what, Callable<T> probe, Predicate<? super T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Object last = "nothing";
    Exception lastFailure = null;
    for (long pause = FIRST_PAUSE_MS; ; pause = Math.min(2 * pause, MAX_PAUSE_MS)) {
      try {
        T value = probe.call();
        if (done.test(value)) return value;
        last = value;
        lastFailure = null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      } catch (Exception e) {
        last = e;
        lastFailure = e;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what + "; last seen: " + last, lastFailure);
      }
      pause(pause, () -> what);
    }
  }

  /** The first value {@code probe} returns without throwing (an exception means "not yet", as above). */
  public static <T> T untilReturns(Duration timeout, String what, Callable<T> probe) {
    return until(timeout, what, probe, value -> true);
  }

  /**
   * The opposite of a wait: {@code check} (assertions) must pass every {@code pace} for the whole {@code period}
   * (a key kept alive, a member that must stay up). Whatever it throws fails at once.
   */
  public static void throughout(Duration period, Duration pace, String what, Check check) {
    long end = System.nanoTime() + period.toNanos();
    do {
      try {
        check.run();
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        throw new AssertionError("failed checking " + what, e);
      }
      pause(pace.toMillis(), () -> what);
    } while (System.nanoTime() - end < 0);
  }

  private static void pause(long ms, Supplier<String> what) {
    try {
      Thread.sleep(ms); // the pause between polls
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what.get(), e);
    }
  }
}
