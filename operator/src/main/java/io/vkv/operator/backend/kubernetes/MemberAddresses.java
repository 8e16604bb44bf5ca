package io.vkv.operator.backend.kubernetes;

import java.util.List;

/**
 * A member's stable DNS names: the Pod's hostname under the cluster's headless Service,
 * {@code <member>.<cluster>-peers.<namespace>.svc}, which resolves before the Pod is ready (etcd peers must reach each
 * other to become ready at all). Each port's URLs are {@code https://} when that side has TLS.
 */
public record MemberAddresses(String cluster, String namespace, boolean clientTls, boolean peerTls) {
  public static final int CLIENT_PORT = 2379;
  public static final int PEER_PORT = 2380;

  /** Plain text on both ports. */
  public MemberAddresses(String cluster, String namespace) {
    this(cluster, namespace, false, false);
  }

  public String peerService() {
    return cluster + "-peers";
  }

  public String clientService() {
    return cluster + "-client";
  }

  public String host(String member) {
    return member + "." + peerService() + "." + namespace + ".svc";
  }

  public String peerUrl(String member) {
    return scheme(peerTls) + host(member) + ":" + PEER_PORT;
  }

  public String clientUrl(String member) {
    return scheme(clientTls) + host(member) + ":" + CLIENT_PORT;
  }

  /** What a member listens on inside its Pod. */
  String listenClientUrl() {
    return scheme(clientTls) + "0.0.0.0:" + CLIENT_PORT;
  }

  String listenPeerUrl() {
    return scheme(peerTls) + "0.0.0.0:" + PEER_PORT;
  }

  /**
   * The names a member's certificate must carry: every member under the headless Service (a wildcard, so members
   * added later are covered), the client Service as clients in the namespace and elsewhere name it, and loopback for
   * tools run inside a member's Pod.
   */
  List<String> certificateHosts() {
    String peers = peerService() + "." + namespace + ".svc";
    String client = clientService();
    return List.of("*." + peers, "*." + peers + ".cluster.local", client, client + "." + namespace,
        client + "." + namespace + ".svc", client + "." + namespace + ".svc.cluster.local", "localhost", "127.0.0.1");
  }

  private static String scheme(boolean tls) {
    return tls ? "https://" : "http://";
  }
}
