package io.vkv.node.wire;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code grpc-message} header as the gRPC spec encodes it, and as etcd's Go server sends it: UTF-8, with only
 * bytes outside printable ASCII (0x20–0x7E) and '%' percent-encoded. Vert.x gRPC 5.0 form-encodes it instead
 * ({@code URLEncoder}: ':' becomes %3A, ' ' %20, ...), and clients that decode only what the spec says (grpc-js,
 * Python, C++) then show {@code etcdserver%3A requested lease not found} and cannot match etcd's errors.
 *
 * <p>Vert.x writes the status into the response headers (a trailers-only response: every unary error, and a stream
 * failing before its first message) or into the trailers. {@link #install} rewrites the former just before the
 * headers leave; no hook sees trailers, so a stream ending with an error after sending messages goes through
 * {@link #endWithStatus}, which sets the header itself (Vert.x keeps a {@code grpc-message} already present).
 */
public final class GrpcMessageHeader {
  public static final String NAME = "grpc-message";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private GrpcMessageHeader() {}

  /** Encodes as the spec says; a message needing no escape comes back as is. */
  public static String encode(String message) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 8);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= 0x20 && c <= 0x7e && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  /** Percent-decodes either encoding (Vert.x's or the spec's); a '%' not followed by two hex digits stays as it is. */
  public static String decode(String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
    byte[] in = value.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      int hi;
      int lo;
      if (in[i] == '%' && i + 2 < in.length && (hi = hex(in[i + 1])) >= 0 && (lo = hex(in[i + 2])) >= 0) {
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        out.write(in[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte b) {
    if (b >= '0' && b <= '9') return b - '0';
    if (b >= 'A' && b <= 'F') return b - 'A' + 10;
    if (b >= 'a' && b <= 'f') return b - 'a' + 10;
    return -1;
  }

  /** Makes a gRPC response's headers carry the message encoded as the spec says (call before the call is served). */
  public static void install(HttpServerResponse response) {
    response.headersEndHandler(v -> reencode(response.headers()));
  }

  /** One value, spec-encoded; there may be two when a stream set its own before Vert.x added its form. */
  static void reencode(MultiMap headers) {
    List<String> values = headers.getAll(NAME);
    if (values.isEmpty()) return;
    headers.set(NAME, encode(decode(values.get(values.size() - 1))));
  }

  /** Ends a stream with an error status and message, encoded right wherever Vert.x puts them. */
  public static void endWithStatus(GrpcServerResponse<?, ?> response, GrpcStatus status, String message) {
    response.status(status).statusMessage(message);
    response.trailers().set(NAME, encode(message));
    response.end();
  }
}
