package io.vkv.client;

import io.vertx.grpc.common.GrpcStatus;

/**
 * The terminal event of a {@link LeaseKeepAlive}: the lease can no longer be counted on. Keys attached to it are
 * gone (or will be once the server notices), and whatever the lease guarded (a lock, a leadership) is lost.
 */
public final class LeaseLostException extends VkvException {
  /** Why the lease is considered lost. */
  public enum Reason {
    /** The server answered a keep-alive with TTL &lt;= 0: the lease expired or was revoked. */
    EXPIRED_OR_REVOKED,
    /** No keep-alive succeeded before the lease's deadline (last renewal + TTL): it expired on the server. */
    DEADLINE_PASSED
  }

  private final long leaseId;
  private final Reason reason;

  LeaseLostException(long leaseId, Reason reason, String detail, Throwable cause) {
    super(GrpcStatus.NOT_FOUND, "lease " + Long.toHexString(leaseId) + " lost: " + detail, cause);
    this.leaseId = leaseId;
    this.reason = reason;
  }

  public long leaseId() {
    return leaseId;
  }

  public Reason reason() {
    return reason;
  }
}
