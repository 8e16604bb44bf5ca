package io.vkv.store.etcdformat;

import java.util.List;

/**
 * A member as etcd's {@code members} bucket stores it: under its id in lower-case hex, the JSON
 * {@code {"id":<decimal>,"peerURLs":[...],"name":"...","clientURLs":[...]}} (name and client URLs left out when empty).
 */
public record EtcdMember(long id, String name, List<String> peerUrls, List<String> clientUrls) {

  byte[] key() {
    return Long.toUnsignedString(id, 16).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  byte[] json() {
    StringBuilder sb = new StringBuilder("{\"id\":").append(Long.toUnsignedString(id)).append(",\"peerURLs\":");
    array(sb, peerUrls);
    if (!name.isEmpty()) string(sb.append(",\"name\":"), name);
    if (!clientUrls.isEmpty()) array(sb.append(",\"clientURLs\":"), clientUrls);
    return sb.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void array(StringBuilder sb, List<String> values) {
    sb.append('[');
    for (int i = 0; i < values.size(); i++) string(i == 0 ? sb : sb.append(','), values.get(i));
    sb.append(']');
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }
}
