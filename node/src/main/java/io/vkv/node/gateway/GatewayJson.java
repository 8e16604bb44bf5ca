package io.vkv.node.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/**
 * etcd 3.4's JSON conventions (grpc-gateway with {@code OrigName}, defaults left out): field names as the protos spell
 * them, bytes as base64, 64-bit integers as strings, enums by name, unknown request fields ignored.
 */
final class GatewayJson {
  private static final JsonFormat.Parser STRICT = JsonFormat.parser();
  /** Also lets unknown enum names through (proto3 JSON), so it only serves bodies with fields we do not know. */
  private static final JsonFormat.Parser LENIENT = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames()
      .omittingInsignificantWhitespace();

  private GatewayJson() {}

  /** The request in {@code json} (an empty body is the empty request, as in etcd). */
  @SuppressWarnings("unchecked")
  static <T extends Message> T parse(String json, T prototype) throws InvalidProtocolBufferException {
    Message.Builder b = prototype.newBuilderForType();
    if (!json.isBlank()) {
      try {
        STRICT.merge(json, b);
      } catch (InvalidProtocolBufferException e) {
        // etcd ignores fields it does not know, but refuses an enum value it does not know
        if (e.getMessage() == null || !e.getMessage().startsWith("Cannot find field")) throw e;
        b.clear();
        LENIENT.merge(json, b);
      }
    }
    return (T) b.build();
  }

  static String print(MessageOrBuilder message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e); // no Any fields here
    }
  }

  /** etcd's error body: {@code {"error":m,"message":m,"code":c}}, escaped as Go's encoding/json does. */
  static String error(int grpcCode, String message) {
    String m = quote(message);
    return "{\"error\":" + m + ",\"message\":" + m + ",\"code\":" + grpcCode + "}";
  }

  /** A JSON string as Go writes it: HTML-safe (<, >, & as \\u escapes), other control characters escaped. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
