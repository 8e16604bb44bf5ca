package io.vkv.node.fault;

/**
 * One event as a watcher received it.
 *
 * @param watcher which watcher
 * @param stream which of its streams (a resume opens a new one)
 * @param response which response on the watcher, counted across its streams (events of one response share it)
 * @param member the member (hex id) the stream was on
 * @param put PUT (true) or DELETE
 * @param headerRev the response header's revision
 */
public record WatchedEvent(int watcher, int stream, int response, String member, String key, String value, long modRev,
    long createRev, boolean put, long headerRev) {

  String toLine() {
    return String.join("\t", "WE", String.valueOf(watcher), String.valueOf(stream), String.valueOf(response), member, key,
        value, String.valueOf(modRev), String.valueOf(createRev), String.valueOf(put), String.valueOf(headerRev));
  }

  static WatchedEvent fromFields(String[] f) {
    return new WatchedEvent(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4], f[5], f[6],
        Long.parseLong(f[7]), Long.parseLong(f[8]), Boolean.parseBoolean(f[9]), Long.parseLong(f[10]));
  }

  @Override
  public String toString() {
    return "w" + watcher + "/s" + stream + "/r" + response + "@" + member + " " + (put ? "PUT " : "DELETE ") + key + "="
        + value + " mod " + modRev + " create " + createRev + " (header " + headerRev + ")";
  }
}
