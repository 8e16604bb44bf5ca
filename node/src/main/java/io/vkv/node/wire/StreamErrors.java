package io.vkv.node.wire;

import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.StatusException;

/**
 * Ends a server stream with an error, whoever reads it: a gRPC call gets the status in its trailers; the JSON
 * gateway's stream ({@link Failable}) writes etcd's error line. The handlers stream to either.
 */
public final class StreamErrors {
  /** A stream that ends with an error its own way (the JSON gateway's). */
  public interface Failable {
    void fail(StatusException status);
  }

  public static void fail(WriteStream<?> out, StatusException status) {
    if (out instanceof GrpcServerResponse<?, ?> g) {
      GrpcMessageHeader.endWithStatus(g, status.status(), status.message() == null ? "" : status.message());
    } else if (out instanceof Failable f) {
      f.fail(status);
    } else {
      out.end();
    }
  }

  private StreamErrors() {}
}
