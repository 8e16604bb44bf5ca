package io.vkv.operator.backend.kubernetes;

import io.vkv.operator.spec.ClusterSpec;
import io.vkv.operator.tls.MemberTlsFlags;
import java.util.List;

/**
 * Which Kubernetes TLS Secrets ({@code tls.crt}, {@code tls.key}, {@code ca.crt}) a cluster's members mount, and
 * where: the one {@code spec.tls} names for a side, else with {@code autoTls} the one the operator issues
 * ({@code <cluster>-client-tls}, {@code <cluster>-peer-tls}); null where a side is plain text. Pure.
 */
record TlsSecrets(String client, String peer, boolean clientCertAuth) {
  static final TlsSecrets NONE = new TlsSecrets(null, null, false);
  static final String CLIENT_MOUNT = "/etc/vkv/tls/client";
  static final String PEER_MOUNT = "/etc/vkv/tls/peer";
  static final List<String> KEYS = List.of("tls.crt", "tls.key", "ca.crt");

  static TlsSecrets of(ClusterSpec.TlsSpec spec, String cluster) {
    if (spec == null) return NONE;
    String client = spec.clientSecret() != null ? spec.clientSecret() : spec.auto() ? autoClient(cluster) : null;
    String peer = spec.peerSecret() != null ? spec.peerSecret() : spec.auto() ? autoPeer(cluster) : null;
    return new TlsSecrets(client, peer, spec.requireClientCerts());
  }

  static String autoClient(String cluster) {
    return cluster + "-client-tls";
  }

  static String autoPeer(String cluster) {
    return cluster + "-peer-tls";
  }

  /** The Secret the operator keeps the cluster's CA in ({@code ca.crt}, {@code ca.key}) with {@code autoTls}. */
  static String caSecret(String cluster) {
    return cluster + "-ca";
  }

  boolean clientTls() {
    return client != null;
  }

  boolean peerTls() {
    return peer != null;
  }

  /** vkv's flags for the mounted Secrets. */
  List<String> flags() {
    return MemberTlsFlags.of(clientTls() ? side(CLIENT_MOUNT) : null, clientCertAuth, peerTls() ? side(PEER_MOUNT) : null);
  }

  private static MemberTlsFlags.Side side(String mount) {
    return new MemberTlsFlags.Side(mount + "/tls.crt", mount + "/tls.key", mount + "/ca.crt");
  }
}
