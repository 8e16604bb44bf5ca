package io.vkv.node.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AppliedIndexWaitsTest {
  private final AtomicLong applied = new AtomicLong(5);
  private final AppliedIndexWaits waits = new AppliedIndexWaits(applied::get);

  @Test
  void anIndexAlreadyAppliedIsReadyAtOnceAndLaterOnesWhenApplied() {
    assertTrue(waits.until(5).isDone());
    CompletableFuture<Void> seven = waits.until(7);
    CompletableFuture<Void> nine = waits.until(9);
    applied.set(8);
    waits.applied(List.of());
    assertTrue(seven.isDone());
    assertFalse(nine.isDone());
    applied.set(9);
    waits.release();
    assertTrue(nine.isDone());
    assertEquals(0, waits.pending());
  }

  @Test
  void aWaitGivenUpLeavesNothingBehind() {
    CompletableFuture<Void> never = waits.until(1_000_000);
    assertEquals(1, waits.pending());
    never.completeExceptionally(new TimeoutException());
    assertEquals(0, waits.pending());
  }
}
