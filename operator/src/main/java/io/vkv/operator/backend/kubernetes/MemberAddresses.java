package io.vkv.operator.backend.kubernetes;

/**
 * A member's stable DNS names: the Pod's hostname under the cluster's headless Service,
 * {@code <member>.<cluster>-peers.<namespace>.svc}, which resolves before the Pod is ready (etcd peers must reach each
 * other to become ready at all).
 */
public record MemberAddresses(String cluster, String namespace) {
  public static final int CLIENT_PORT = 2379;
  public static final int PEER_PORT = 2380;

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
    return "http://" + host(member) + ":" + PEER_PORT;
  }

  public String clientUrl(String member) {
    return "http://" + host(member) + ":" + CLIENT_PORT;
  }
}
