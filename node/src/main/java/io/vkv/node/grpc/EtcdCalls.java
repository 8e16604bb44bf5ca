package io.vkv.node.grpc;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;
import io.vkv.node.wire.GrpcMessageHeader;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Binds services on a gRPC server so that the calls it cannot serve are answered as etcd's (grpc-go) server answers
 * them, where Vert.x gRPC 5.0 answers otherwise:
 * <ul>
 *   <li>a request message that does not decode: status INTERNAL with Go's decoding error ({@link DecodingCall}), where
 *       Vert.x resets the stream (CANCELLED);</li>
 *   <li>a compressed call (grpc-encoding gzip): UNIMPLEMENTED, as etcd installs no decompressor;</li>
 *   <li>an unknown method or service: UNIMPLEMENTED, {@code unknown method M for service S} or
 *       {@code unknown service S}, where Vert.x says {@code Method not found: S/M}; a path with no method part is
 *       RESOURCE_EXHAUSTED {@code malformed method name: "/p"} (grpc-go's code for it).</li>
 * </ul>
 */
final class EtcdCalls {
  private final GrpcServer server;
  private final Set<String> services = new HashSet<>();

  EtcdCalls(GrpcServer server) {
    this.server = server;
    server.callHandler(this::unknownMethod);
  }

  /** Binds a generated service's methods, each call's messages decoded as etcd decodes them. */
  EtcdCalls add(Service service) {
    ServiceDescriptor descriptor = service.descriptor();
    services.add(descriptor.getFullName());
    // the generated service binds its methods on the server it is given: take each as it comes
    service.bind(new GrpcServer() {
      @Override
      public <Req, Resp> GrpcServer callHandler(ServiceMethod<Req, Resp> method, Handler<GrpcServerRequest<Req, Resp>> handler) {
        add(descriptor, method, handler);
        return this;
      }

      @Override
      public GrpcServer callHandler(Handler<GrpcServerRequest<Buffer, Buffer>> handler) {
        throw new UnsupportedOperationException();
      }

      @Override
      public GrpcServer addService(Service s) {
        throw new UnsupportedOperationException();
      }

      @Override
      public List<Service> services() {
        return List.of(service);
      }

      @Override
      public void handle(HttpServerRequest request) {
        throw new UnsupportedOperationException();
      }
    });
    return this;
  }

  /** Binds one method served with the call in hand. */
  <Req, Resp> EtcdCalls add(ServiceDescriptor service, ServiceMethod<Req, Resp> method, Handler<GrpcServerRequest<Req, Resp>> handler) {
    services.add(service.getFullName());
    MethodDescriptor descriptor = service.findMethodByName(method.methodName());
    if (descriptor == null) throw new IllegalArgumentException(method.fullMethodName() + " is not in " + service.getFullName());
    server.callHandler(method, call -> DecodingCall.serve(call, descriptor, method.decoder(), handler));
    return this;
  }

  /** grpc-go's answer to a path no handler is bound to (its {@code handleStream}). */
  private void unknownMethod(GrpcServerRequest<Buffer, Buffer> call) {
    String path = "/" + call.fullMethodName();
    String name = call.fullMethodName();
    int slash = name.lastIndexOf('/');
    if (slash < 0) {
      GrpcMessageHeader.endWithStatus(call.response(), GrpcStatus.RESOURCE_EXHAUSTED, "malformed method name: " + goQuoted(path));
      return;
    }
    String service = name.substring(0, slash);
    String text = services.contains(service)
        ? "unknown method " + name.substring(slash + 1) + " for service " + service
        : "unknown service " + service;
    GrpcMessageHeader.endWithStatus(call.response(), GrpcStatus.UNIMPLEMENTED, text);
  }

  /** Go's %q for a path: in double quotes, with quotes, backslashes and non-printable bytes escaped. */
  static String goQuoted(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20 || c == 0x7f) out.append(String.format("\\x%02x", (int) c));
      else out.append(c);
    }
    return out.append('"').toString();
  }
}
