package io.vkv.node.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class GrpcMessageHeaderTest {
  @Test
  void printableAsciiStaysAsIs() {
    assertEquals("etcdserver: requested lease not found", GrpcMessageHeader.encode("etcdserver: requested lease not found"));
    assertEquals("a+b*c~d/e?f=g&h(i)", GrpcMessageHeader.encode("a+b*c~d/e?f=g&h(i)"));
  }

  @Test
  void percentControlAndNonAsciiAreEscaped() {
    assertEquals("100%25 done%0Anext", GrpcMessageHeader.encode("100% done\nnext"));
    assertEquals("caf%C3%A9%7F", GrpcMessageHeader.encode("café\u007f"));
  }

  @Test
  void decodesVertxFormEncodingAndItsOwn() {
    assertEquals("etcdserver: requested lease not found", GrpcMessageHeader.decode("etcdserver%3A%20requested%20lease%20not%20found"));
    assertEquals("café 100%", GrpcMessageHeader.decode("caf%C3%A9 100%25"));
    assertEquals("50% off", GrpcMessageHeader.decode("50% off")); // a stray '%' is kept
  }

  @Test
  void reencodeLeavesOneSpecValue() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("grpc-message", "etcdserver%3A%20server%20stopped")
        .add("grpc-message", "etcdserver: server stopped");
    GrpcMessageHeader.reencode(headers);
    assertEquals(java.util.List.of("etcdserver: server stopped"), headers.getAll("grpc-message"));
  }
}
