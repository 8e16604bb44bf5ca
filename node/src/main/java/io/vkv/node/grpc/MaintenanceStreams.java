package io.vkv.node.grpc;

import io.vertx.core.streams.WriteStream;
import io.vkv.api.etcdserverpb.SnapshotRequest;
import io.vkv.api.etcdserverpb.SnapshotResponse;

/** Reaches Maintenance.Snapshot's streaming handler (protected in the generated service) for the JSON gateway. */
public final class MaintenanceStreams {
  private MaintenanceStreams() {}

  public static void snapshot(MaintenanceEndpoint endpoint, SnapshotRequest request, WriteStream<SnapshotResponse> out) {
    endpoint.snapshot(request, out);
  }
}
