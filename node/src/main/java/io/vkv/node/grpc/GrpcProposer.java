package io.vkv.node.grpc;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vkv.api.etcdserverpb.ResponseHeader;
import io.vkv.api.internal.InternalRequest;
import io.vkv.store.ApplyResult;
import java.util.concurrent.Executor;

/** Proposing a client's request and turning the applied outcome into what the gRPC call answers. */
final class GrpcProposer {
  /** Completes on {@code context} with the applied result, or fails with the etcd status of the error. */
  static Future<ApplyResult> propose(ServerContext server, InternalRequest request, Context context) {
    return propose(server, request, context, null);
  }

  /** As above; {@code completeOn} (null: any thread) batches the completions of one applied batch (see Proposer). */
  static Future<ApplyResult> propose(ServerContext server, InternalRequest request, Context context, Executor completeOn) {
    return Future.fromCompletionStage(server.proposer().propose(request, completeOn), context).transform(ar -> {
      if (ar.failed()) return Future.failedFuture(GrpcErrors.toStatus(ar.cause()));
      if (ar.result().error() != null) return Future.failedFuture(GrpcErrors.toStatus(ar.result().error()));
      return Future.succeededFuture(ar.result());
    });
  }

  /** The response with this member's header (every etcd response message has one, field "header"). */
  @SuppressWarnings("unchecked")
  static <T extends Message> T withHeader(Message response, ResponseHeader header) {
    FieldDescriptor field = response.getDescriptorForType().findFieldByName("header");
    return (T) response.toBuilder().setField(field, header).build();
  }

  private GrpcProposer() {}
}
