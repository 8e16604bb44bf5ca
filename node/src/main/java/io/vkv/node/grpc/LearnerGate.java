package io.vkv.node.grpc;

import io.vertx.core.http.HttpServerRequest;
import io.vkv.api.EtcdError;
import io.vkv.node.wire.GrpcMessageHeader;
import java.util.Set;

/**
 * What a learner serves, as etcd 3.4: Maintenance.Status and serializable ranges (KvEndpoint refuses the
 * linearizable ones); every other call is answered "etcdserver: rpc not supported for learner" before it is read.
 */
final class LearnerGate {
  private static final Set<String> SERVED = Set.of("/etcdserverpb.KV/Range", "/etcdserverpb.Maintenance/Status");

  static boolean refuses(HttpServerRequest req) {
    return !SERVED.contains(req.path());
  }

  /** A trailers-only gRPC answer: the status and message in the response headers, no body. */
  static void refuse(HttpServerRequest req) {
    EtcdError e = EtcdError.NOT_SUPPORTED_FOR_LEARNER;
    req.response().putHeader("content-type", "application/grpc")
        .putHeader("grpc-status", Integer.toString(e.status().code))
        .putHeader(GrpcMessageHeader.NAME, GrpcMessageHeader.encode(e.message()))
        .end();
  }

  private LearnerGate() {}
}
