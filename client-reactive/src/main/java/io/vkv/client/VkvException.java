package io.vkv.client;

import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.EtcdError;
import java.util.Optional;

/**
 * A call that failed: the gRPC status and the server's message (etcd's error text, e.g.
 * {@code etcdserver: mvcc: required revision has been compacted}), or a local deadline or connection failure.
 */
public class VkvException extends RuntimeException {
  private final GrpcStatus status;

  public VkvException(GrpcStatus status, String message, Throwable cause) {
    super(message == null || message.isEmpty() ? status.name() : message, cause);
    this.status = status;
  }

  public GrpcStatus status() {
    return status;
  }

  /** The etcd error this is, matched by status and message text as etcd's own clients do. */
  public Optional<EtcdError> etcdError() {
    for (EtcdError e : EtcdError.values()) {
      if (e.status() == status && e.message().equals(getMessage())) return Optional.of(e);
    }
    return Optional.empty();
  }
}
