package io.vkv.operator.backend.local;

/**
 * What the single-host platform keeps per member in {@code <dataRoot>/<name>/member.yaml}: its ports (chosen once,
 * so a restarted member keeps its URLs), whether each port speaks TLS (fixed when it is prepared: a cluster cannot
 * mix http and https members), the version it was last started with, and whether it was ever started. Whether it
 * runs is never recorded: it is read from the host's process table.
 */
public record MemberRecord(String name, int clientPort, int peerPort, String version, boolean startedOnce,
                           Boolean clientTls, Boolean peerTls) {

  /** A record with the same addresses and TLS, started with {@code version}. */
  MemberRecord started(String version) {
    return new MemberRecord(name, clientPort, peerPort, version, true, clientTls, peerTls);
  }

  boolean clientHttps() {
    return Boolean.TRUE.equals(clientTls);
  }

  boolean peerHttps() {
    return Boolean.TRUE.equals(peerTls);
  }

  String clientUrl() {
    return (clientHttps() ? "https" : "http") + "://127.0.0.1:" + clientPort;
  }

  String peerUrl() {
    return (peerHttps() ? "https" : "http") + "://127.0.0.1:" + peerPort;
  }
}
