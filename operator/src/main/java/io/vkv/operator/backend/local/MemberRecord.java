package io.vkv.operator.backend.local;

/**
 * What the single-host platform keeps per member in {@code <dataRoot>/<name>/member.yaml}: its ports (chosen once,
 * so a restarted member keeps its URLs), the version it was last started with, and whether it was ever started.
 * Whether it runs is never recorded: it is read from the host's process table.
 */
public record MemberRecord(String name, int clientPort, int peerPort, String version, boolean startedOnce) {

  String clientUrl() {
    return "http://127.0.0.1:" + clientPort;
  }

  String peerUrl() {
    return "http://127.0.0.1:" + peerPort;
  }
}
