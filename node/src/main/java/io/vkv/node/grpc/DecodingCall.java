package io.vkv.node.grpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import io.vertx.core.Handler;
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.WireFormat;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.StatusException;
import io.vkv.node.wire.GoUnmarshal;
import io.vkv.node.wire.GrpcMessageHeader;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A call as its handler sees it, with each request message decoded here first: one that does not decode ends the
 * call with etcd's answer, status INTERNAL and the Go decoder's error ({@link GoUnmarshal}), and the handler's
 * exception handler is told, so a stream releases what it holds. The member goes on serving.
 *
 * <p>Vert.x gRPC 5.0 decodes inside {@code GrpcServerRequest.handler} and resets the stream when that fails, with no
 * hook to answer otherwise; so {@code handler} is the one method taken over here (it installs a message handler
 * that decodes), everything else goes to the call itself. A dynamic proxy keeps that to one method rather than a
 * delegate for each of the interface's twenty. ReadStream's own default methods ({@code pipeTo}, {@code collect})
 * go to the call too, so they would bypass the check: no endpoint uses them on a call.
 */
final class DecodingCall<Req, Resp> implements InvocationHandler {
  /** grpc-go's texts: a unary call's message is decoded by the server, a stream's by {@code RecvMsg}. */
  static final String UNARY = "grpc: error unmarshalling request: ";
  static final String STREAM = "grpc: failed to unmarshal the received message ";

  private final GrpcServerRequest<Req, Resp> call;
  private final Descriptor type;
  private final String prefix;
  private final GrpcMessageDecoder<Req> decoder;
  private Handler<Throwable> exceptionHandler;
  private boolean refused;

  private DecodingCall(GrpcServerRequest<Req, Resp> call, MethodDescriptor method, GrpcMessageDecoder<Req> decoder) {
    this.call = call;
    this.type = method.getInputType();
    this.prefix = method.isClientStreaming() || method.isServerStreaming() ? STREAM : UNARY;
    this.decoder = decoder;
  }

  /**
   * Hands the call to its handler with its messages decoded here. A compressed call is refused first, as etcd
   * refuses it (it installs no decompressor), which also keeps a small message from inflating without bound.
   */
  static <Req, Resp> void serve(GrpcServerRequest<Req, Resp> call, MethodDescriptor method, GrpcMessageDecoder<Req> decoder,
      Handler<GrpcServerRequest<Req, Resp>> handler) {
    String encoding = call.encoding();
    if (encoding != null && !encoding.isEmpty() && !"identity".equals(encoding)) {
      GrpcMessageHeader.endWithStatus(call.response(), GrpcStatus.UNIMPLEMENTED,
          "grpc: Decompressor is not installed for grpc-encoding " + EtcdCalls.goQuoted(encoding));
      return;
    }
    handler.handle(wrap(call, method, decoder));
  }

  @SuppressWarnings("unchecked")
  private static <Req, Resp> GrpcServerRequest<Req, Resp> wrap(GrpcServerRequest<Req, Resp> call, MethodDescriptor method,
      GrpcMessageDecoder<Req> decoder) {
    return (GrpcServerRequest<Req, Resp>) Proxy.newProxyInstance(DecodingCall.class.getClassLoader(),
        new Class<?>[] {GrpcServerRequest.class}, new DecodingCall<>(call, method, decoder));
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (args != null && args.length == 1) {
      switch (method.getName()) {
        case "handler" -> {
          Handler<Req> handler = (Handler<Req>) args[0];
          call.messageHandler(handler == null ? null : message -> onMessage(message, handler));
          return proxy;
        }
        case "exceptionHandler" -> exceptionHandler = (Handler<Throwable>) args[0];
        default -> { }
      }
    }
    try {
      Object result = method.invoke(call, args);
      return result == call ? proxy : result; // fluent setters answer the proxy, as they would the call
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private void onMessage(GrpcMessage message, Handler<Req> handler) {
    if (refused) return;
    Req decoded;
    try {
      String error = message.format() == WireFormat.PROTOBUF ? GoUnmarshal.error(type, message.payload().getBytes()) : null;
      if (error != null) {
        refuse(error);
        return;
      }
      decoded = decoder.decode(message);
    } catch (CodecException e) {
      // what Go decodes and Java does not (a string that is not UTF-8), or a JSON body that is not
      Throwable cause = e.getCause() == null ? e : e.getCause();
      refuse(String.valueOf(cause.getMessage()));
      return;
    }
    try {
      handler.handle(decoded);
    } catch (Exception e) {
      call.response().fail(e); // as Vert.x does for a handler that throws
    }
  }

  private void refuse(String error) {
    refused = true;
    String text = prefix + error;
    try {
      GrpcMessageHeader.endWithStatus(call.response(), GrpcStatus.INTERNAL, text);
    } catch (IllegalStateException alreadyEnded) {
      // the handler ended the call already (a stream that failed on its own): nothing more to answer
    }
    Handler<Throwable> handler = exceptionHandler;
    if (handler != null) handler.handle(new StatusException(GrpcStatus.INTERNAL, text));
  }
}
