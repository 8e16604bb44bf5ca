package io.vkv.client;

import io.vkv.api.etcdserverpb.LeaseKeepAliveResponse;
import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** Records what a keep-alive delivers, for assertions from the test thread. */
final class KeepAliveRecorder {
  final List<LeaseKeepAliveResponse> renewals = new CopyOnWriteArrayList<>();
  final AtomicReference<Throwable> error = new AtomicReference<>();
  final AtomicBoolean ended = new AtomicBoolean();

  static KeepAliveRecorder of(LeaseKeepAlive keepAlive) {
    KeepAliveRecorder r = new KeepAliveRecorder();
    keepAlive.exceptionHandler(r.error::set).endHandler(v -> r.ended.set(true)).handler(r.renewals::add);
    return r;
  }

  void awaitRenewals(int n) {
    Wait.until(Duration.ofSeconds(20), () -> "expected " + n + " renewals, got " + renewals.size(),
        () -> renewals.size() >= n || error.get() != null);
    if (error.get() != null) throw new AssertionError("keep-alive failed", error.get());
  }

  LeaseLostException awaitLost() {
    Wait.until(Duration.ofSeconds(20), () -> "no lost event after " + renewals.size() + " renewals",
        () -> error.get() != null);
    if (error.get() instanceof LeaseLostException lost) return lost;
    throw new AssertionError("expected LeaseLostException", error.get());
  }
}
