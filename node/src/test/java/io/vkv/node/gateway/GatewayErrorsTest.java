package io.vkv.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import org.junit.jupiter.api.Test;

class GatewayErrorsTest {
  @Test
  void aStreamThatFailsAfterItsFirstResultEndsWithGrpcGatewaysErrorLine() {
    assertEquals("{\"error\":{\"grpc_code\":14,\"http_code\":503,\"message\":\"etcdserver: server stopped\","
            + "\"http_status\":\"Service Unavailable\"}}",
        GatewayErrors.streamError(new StatusException(GrpcStatus.UNAVAILABLE, "etcdserver: server stopped")));
    assertEquals("{\"error\":{\"grpc_code\":5,\"http_code\":404,\"message\":\"etcdserver: requested lease not found\","
            + "\"http_status\":\"Not Found\"}}",
        GatewayErrors.streamError(new StatusException(GrpcStatus.NOT_FOUND, "etcdserver: requested lease not found")));
  }
}
