package io.vkv.node.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** One gateway path: parses the JSON body into the request message, calls the gRPC service's handler, prints the answer. */
interface Route {
  void serve(HttpServerRequest http, String body);

  /** A unary handler; it gets the HTTP request too, for calls that must notice a caller going away (lock, campaign). */
  interface Call<Req> {
    Future<? extends Message> apply(Req request, HttpServerRequest http);
  }

  static <Req extends Message> Route unary(Req prototype, Call<Req> call) {
    return (http, body) -> {
      Req request = parseOrAnswer(http, body, prototype);
      if (request == null) return;
      Future<? extends Message> answer;
      try {
        answer = call.apply(request, http);
      } catch (RuntimeException e) {
        answer = Future.failedFuture(e);
      }
      answer.onComplete(ar -> {
        HttpServerResponse response = http.response();
        if (ar.failed()) {
          GatewayErrors.answer(response, ar.cause());
        } else if (!response.ended() && !response.closed()) {
          response.putHeader("content-type", "application/json").putHeader("grpc-metadata-content-type", "application/grpc")
              .end(GatewayJson.print(ar.result()));
        }
      });
    };
  }

  /**
   * A bidirectional stream (watch, keep-alive): each JSON object of the body is one request; responses are streamed.
   * With {@code endAfterAnswers} the request side ends once each request has had its answer (a keep-alive then ends
   * its response, as etcd's gateway does after the last request); otherwise it ends at once and the responses go on
   * until the client disconnects (a watch).
   */
  static <Req extends Message, Resp extends Message> Route bidi(Req prototype, boolean endAfterAnswers,
      BiConsumer<ReadStream<Req>, WriteStream<Resp>> call) {
    return (http, body) -> {
      List<Req> requests;
      try {
        requests = parseAll(body, prototype);
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        // etcd's gateway reports a bad stream body as UNKNOWN, 500
        GatewayErrors.answer(http.response(), GrpcStatus.UNKNOWN, String.valueOf(e.getMessage()));
        return;
      }
      RequestStream<Req> in = new RequestStream<>(Vertx.currentContext(), requests);
      ResultStream<Resp> out = new ResultStream<>(http.response(), in::check);
      in.endWhen(endAfterAnswers ? () -> out.written() >= requests.size() : () -> true);
      call.accept(in, out);
    };
  }

  /** A server stream (observe, snapshot): one request, streamed responses. */
  static <Req extends Message, Resp extends Message> Route serverStream(Req prototype,
      BiConsumer<Req, WriteStream<Resp>> call) {
    return (http, body) -> {
      Req request = parseOrAnswer(http, body, prototype);
      if (request == null) return;
      call.accept(request, new ResultStream<>(http.response(), () -> { }));
    };
  }

  /** Successive JSON objects of a stream body (etcd's gateway decodes them one after another). */
  private static <Req extends Message> List<Req> parseAll(String body, Req prototype) throws InvalidProtocolBufferException {
    List<Req> out = new ArrayList<>();
    for (String object : JsonObjects.split(body)) out.add(GatewayJson.parse(object, prototype));
    return out;
  }

  /** The request, or null once a body that does not parse was answered with INVALID_ARGUMENT. */
  private static <Req extends Message> Req parseOrAnswer(HttpServerRequest http, String body, Req prototype) {
    try {
      return GatewayJson.parse(body, prototype);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      GatewayErrors.answer(http.response(), GrpcStatus.INVALID_ARGUMENT, String.valueOf(e.getMessage()));
      return null;
    }
  }
}
