package io.vkv.node.gateway;

import com.google.protobuf.Message;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;

/**
 * The responses of a streaming call as etcd's gateway writes them: one {@code {"result":{...}}} line per message on a
 * chunked 200 response. The client closing the connection is reported to the handler as an exception, as a reset
 * gRPC stream is, so that it lets go of its watchers or subscriptions.
 */
final class ResultStream<T extends Message> implements WriteStream<T>, io.vkv.node.wire.StreamErrors.Failable {
  private final HttpServerResponse response;
  private final Runnable onWrite;
  private Handler<Throwable> exceptionHandler;
  private long written;

  ResultStream(HttpServerResponse response, Runnable onWrite) {
    this.response = response;
    this.onWrite = onWrite;
    response.setChunked(true).putHeader("content-type", "application/json")
        .putHeader("grpc-metadata-content-type", "application/grpc");
    response.closeHandler(v -> {
      if (exceptionHandler != null) exceptionHandler.handle(new IllegalStateException("the HTTP client went away"));
    });
  }

  long written() {
    return written;
  }

  /**
   * Ends the call with {@code failure}: before anything was written, as a unary call's error; after, as etcd's
   * gateway (grpc-gateway v1) does, with one last line {@code {"error":{"grpc_code":…,"http_code":…,"message":…,
   * "http_status":…}}}.
   */
  @Override
  public void fail(io.vertx.grpc.server.StatusException failure) {
    if (response.ended() || response.closed()) return;
    if (!response.headWritten()) {
      GatewayErrors.answer(response, failure);
      return;
    }
    response.end(GatewayErrors.streamError(failure) + "\n");
  }

  @Override
  public Future<Void> write(T message) {
    if (response.ended() || response.closed()) return Future.failedFuture("the HTTP client went away");
    written++;
    Future<Void> f = response.write("{\"result\":" + GatewayJson.print(message) + "}\n");
    onWrite.run();
    return f;
  }

  @Override
  public Future<Void> end() {
    if (response.ended() || response.closed()) return Future.succeededFuture();
    return response.end();
  }

  @Override
  public WriteStream<T> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    response.exceptionHandler(handler);
    return this;
  }

  @Override
  public WriteStream<T> setWriteQueueMaxSize(int maxSize) {
    response.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  @Override
  public WriteStream<T> drainHandler(Handler<Void> handler) {
    response.drainHandler(handler);
    return this;
  }
}
