package io.vkv.node.watch;

import io.vertx.grpc.common.GrpcStatus;

/**
 * gRPC status codes as Go's grpc library spells them: etcd puts a whole Go status text ("rpc error: code =
 * PermissionDenied desc = ...") into a refused watch's cancel reason, and clients print it as is.
 */
final class GoStatusNames {
  static String of(GrpcStatus status) {
    StringBuilder out = new StringBuilder();
    for (String word : status.name().split("_")) {
      out.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return out.toString();
  }

  private GoStatusNames() {}
}
