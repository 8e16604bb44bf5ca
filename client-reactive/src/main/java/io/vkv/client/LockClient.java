package io.vkv.client;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vkv.api.v3lockpb.LockGrpcClient;
import io.vkv.api.v3lockpb.LockRequest;
import io.vkv.api.v3lockpb.LockResponse;
import io.vkv.api.v3lockpb.UnlockRequest;
import io.vkv.api.v3lockpb.UnlockResponse;
import java.time.Duration;

/**
 * etcd's Lock service (v3lock): a distributed mutex whose ownership is a key attached to the caller's lease. Lock
 * waits on the server until every earlier waiter is gone, so it has no deadline unless one is given; the lock is
 * held while the lease lives (keep it alive with {@link LeaseClient#keepAlive(long)}). Neither call is retried once
 * sent: a repeated Lock would queue a second waiter.
 */
public final class LockClient {
  private final Invoker invoker;

  LockClient(Invoker invoker) {
    this.invoker = invoker;
  }

  /**
   * Waits, without a deadline, until the lock {@code name} is held under {@code leaseId}; the response's key is the
   * ownership key, to pass to {@link #unlock}.
   */
  public Future<LockResponse> lock(String name, long leaseId) {
    return lock(Bytes.of(name), leaseId, 0);
  }

  /** As {@link #lock(String, long)}, giving up with DEADLINE_EXCEEDED after {@code timeout}; the server drops the waiter. */
  public Future<LockResponse> lock(String name, long leaseId, Duration timeout) {
    return lock(Bytes.of(name), leaseId, nanos(timeout));
  }

  public Future<LockResponse> lock(Buffer name, long leaseId, Duration timeout) {
    return lock(Bytes.of(name), leaseId, nanos(timeout));
  }

  private Future<LockResponse> lock(ByteString name, long leaseId, long timeoutNanos) {
    LockRequest req = LockRequest.newBuilder().setName(name).setLease(leaseId).build();
    return invoker.call(LockGrpcClient.Lock, req, false, timeoutNanos);
  }

  /** Releases the lock held through {@code key} (the key {@link #lock} returned). */
  public Future<UnlockResponse> unlock(ByteString key) {
    return invoker.call(LockGrpcClient.Unlock, UnlockRequest.newBuilder().setKey(key).build(), false);
  }

  static long nanos(Duration timeout) {
    if (timeout.isNegative()) throw new IllegalArgumentException("timeout must be >= 0");
    return timeout.toNanos();
  }
}
