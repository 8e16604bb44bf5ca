package io.vkv.node.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;

/** Splits a body holding JSON objects one after another ({@code {..}{..}} or one per line) into the objects. */
final class JsonObjects {
  private JsonObjects() {}

  static List<String> split(String body) throws InvalidProtocolBufferException {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = -1;
    boolean inString = false;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (inString) {
        if (c == '\\') i++;
        else if (c == '"') inString = false;
      } else if (c == '"') {
        if (depth == 0) throw new InvalidProtocolBufferException("expected a JSON object at offset " + i);
        inString = true;
      } else if (c == '{') {
        if (depth++ == 0) start = i;
      } else if (c == '}') {
        if (--depth < 0) throw new InvalidProtocolBufferException("unexpected '}' at offset " + i);
        if (depth == 0) out.add(body.substring(start, i + 1));
      } else if (depth == 0 && !Character.isWhitespace(c)) {
        throw new InvalidProtocolBufferException("invalid character '" + c + "' looking for beginning of value");
      }
    }
    if (depth != 0 || inString) throw new InvalidProtocolBufferException("unexpected end of JSON input");
    return out;
  }
}
