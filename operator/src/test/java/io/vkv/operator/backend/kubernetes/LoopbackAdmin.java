package io.vkv.operator.backend.kubernetes;

import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.etcdserverpb.StatusResponse;
import io.vkv.operator.cluster.ClusterAccess;
import io.vkv.operator.cluster.ClusterApi;
import io.vkv.operator.cluster.EtcdAdmin;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real {@link EtcdAdmin} on the members {@link LocalKubelet} runs: the operator's DNS URLs go to loopback, and
 * the peer URLs the cluster reports (the loopback ones the members advertise) come back in DNS form, so the
 * controller sees exactly what it would in a cluster.
 */
final class LoopbackAdmin implements ClusterApi {
  private final EtcdAdmin admin;
  private final LocalKubelet kubelet;
  private final String cluster;
  private final String namespace;

  LoopbackAdmin(LocalKubelet kubelet, String cluster, String namespace) {
    this(kubelet, cluster, namespace, ClusterAccess.plainText());
  }

  /** Dialling as {@code access} says (TLS, root): the members' certificates must name 127.0.0.1. */
  LoopbackAdmin(LocalKubelet kubelet, String cluster, String namespace, ClusterAccess access) {
    this.admin = new EtcdAdmin(access);
    this.kubelet = kubelet;
    this.cluster = cluster;
    this.namespace = namespace;
  }

  @Override
  public StatusResponse status(String clientUrl) throws IOException {
    return admin.status(kubelet.loopback(clientUrl));
  }

  @Override
  public List<Member> memberList(String clientUrl) throws IOException {
    List<Member> out = new ArrayList<>();
    for (Member m : admin.memberList(kubelet.loopback(clientUrl))) out.add(toDns(m));
    return out;
  }

  @Override
  public Member addLearner(String clientUrl, String peerUrl) throws IOException {
    return toDns(admin.addLearner(kubelet.loopback(clientUrl), kubelet.loopback(peerUrl)));
  }

  @Override
  public void promote(String clientUrl, long id) throws IOException {
    admin.promote(kubelet.loopback(clientUrl), id);
  }

  @Override
  public void remove(String clientUrl, long id) throws IOException {
    admin.remove(kubelet.loopback(clientUrl), id);
  }

  @Override
  public void moveLeader(String leaderClientUrl, long to) throws IOException {
    admin.moveLeader(kubelet.loopback(leaderClientUrl), to);
  }

  @Override
  public boolean authEnabled(String clientUrl) throws IOException {
    return admin.authEnabled(kubelet.loopback(clientUrl));
  }

  @Override
  public void enableAuth(String clientUrl) throws IOException {
    admin.enableAuth(kubelet.loopback(clientUrl));
  }

  @Override
  public void snapshot(String clientUrl, Path target) throws IOException {
    admin.snapshot(kubelet.loopback(clientUrl), target);
  }

  @Override
  public void close() {
    admin.close();
  }

  private Member toDns(Member m) {
    Member.Builder b = m.toBuilder().clearPeerURLs().clearClientURLs();
    for (String u : m.getPeerURLsList()) b.addPeerURLs(kubelet.dns(u, cluster, namespace));
    for (String u : m.getClientURLsList()) b.addClientURLs(kubelet.dns(u, cluster, namespace));
    return b.build();
  }
}
