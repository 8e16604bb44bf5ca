package io.vkv.node.testing;

import io.vertx.grpc.client.InvalidStatusException;
import io.vertx.grpc.common.GrpcStatus;

/** What a failed Vert.x gRPC client call says about why it failed. */
public final class GrpcStatuses {
  private GrpcStatuses() {
  }

  /** The gRPC status a call failed with (looking through its causes), null if it failed without one (a connection error). */
  public static GrpcStatus of(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InvalidStatusException s) return s.actualStatus();
    }
    return null;
  }
}
