package io.vkv.operator.backend.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.etcdserverpb.ResponseHeader;
import io.vkv.api.etcdserverpb.StatusResponse;
import io.vkv.operator.cluster.ClusterApi;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The etcd side of a cluster whose members are the Pods in the mock API server, played by rules rather than run:
 * a member answers while its Pod exists (there is no kubelet), the first Pod started with
 * {@code --initial-cluster-state=new} bootstraps the cluster, a member's version is its image's tag, and the
 * membership calls keep etcd's refusals that matter to the controller (one learner at a time, promote only a started
 * learner, MoveLeader only on the leader, MemberList not from a learner). It proves what the controller asks of the
 * Kubernetes API and in which order; it cannot prove that vkv in a Pod does what etcd would.
 */
final class PlayedCluster implements ClusterApi {
  private final KubernetesClient client;
  /** id → member, in the order they were added. */
  private final Map<Long, Member> members = new LinkedHashMap<>();
  private long leader;
  private long nextId = 0x1001;
  /** Membership changes in the order they were made, for the tests to read. */
  final List<String> changes = new ArrayList<>();

  PlayedCluster(KubernetesClient client) {
    this.client = client;
  }

  synchronized Map<Long, Member> members() {
    return Map.copyOf(members);
  }

  synchronized String leaderName() {
    Member m = members.get(leader);
    return m == null ? null : m.getName();
  }

  @Override
  public synchronized StatusResponse status(String clientUrl) throws IOException {
    String name = URI.create(clientUrl).getHost().split("\\.")[0];
    Pod pod = client.pods().withName(name).get();
    if (pod == null || pod.getMetadata().getDeletionTimestamp() != null) throw new IOException(clientUrl + ": connection refused");
    String peerUrl = flag(pod, "--initial-advertise-peer-urls");
    if (members.isEmpty() && "new".equals(flag(pod, "--initial-cluster-state"))) {
      long id = nextId++;
      members.put(id, Member.newBuilder().setID(id).setName(name).addPeerURLs(peerUrl).build());
      leader = id;
      changes.add("bootstrap " + name);
    }
    Member m = members.values().stream().filter(x -> x.getPeerURLs(0).equals(peerUrl)).findFirst().orElse(null);
    if (m == null) throw new IOException(clientUrl + ": not a member (a removed vkv member stops)");
    if (m.getName().isEmpty()) members.put(m.getID(), m = m.toBuilder().setName(name).build()); // named on first start
    String image = pod.getSpec().getContainers().get(0).getImage();
    return StatusResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setMemberId(m.getID()))
        .setLeader(leader).setIsLearner(m.getIsLearner()).setVersion(image.substring(image.lastIndexOf(':') + 1)).build();
  }

  @Override
  public synchronized List<Member> memberList(String clientUrl) throws IOException {
    Member asked = answering(clientUrl);
    if (asked.getIsLearner()) throw new IOException("etcdserver: rpc not supported for learner");
    return List.copyOf(members.values());
  }

  @Override
  public synchronized Member addLearner(String clientUrl, String peerUrl) throws IOException {
    answering(clientUrl);
    if (members.values().stream().anyMatch(Member::getIsLearner)) throw new IOException("etcdserver: too many learner members in cluster");
    long id = nextId++;
    Member m = Member.newBuilder().setID(id).addPeerURLs(peerUrl).setIsLearner(true).build();
    members.put(id, m);
    changes.add("add learner " + peerUrl);
    return m;
  }

  @Override
  public synchronized void promote(String clientUrl, long id) throws IOException {
    answering(clientUrl);
    Member m = members.get(id);
    if (m == null) throw new IOException("etcdserver: member not found");
    if (m.getName().isEmpty()) throw new IOException("etcdserver: can only promote a learner member which is in sync with leader");
    members.put(id, m.toBuilder().setIsLearner(false).build());
    changes.add("promote " + m.getName());
  }

  @Override
  public synchronized void remove(String clientUrl, long id) throws IOException {
    answering(clientUrl);
    Member m = members.remove(id);
    if (m == null) throw new IOException("etcdserver: member not found");
    changes.add("remove " + m.getName());
    if (leader == id) leader = members.values().stream().filter(x -> !x.getIsLearner()).findFirst().map(Member::getID).orElse(0L);
  }

  @Override
  public synchronized void moveLeader(String leaderClientUrl, long to) throws IOException {
    if (answering(leaderClientUrl).getID() != leader) throw new IOException("etcdserver: not leader");
    Member target = members.get(to);
    if (target == null || target.getIsLearner()) throw new IOException("etcdserver: bad leader transferee");
    leader = to;
    changes.add("move leader to " + target.getName());
  }

  @Override
  public void snapshot(String clientUrl, Path target) throws IOException {
    throw new IOException("a played cluster has no data to snapshot");
  }

  @Override
  public void close() {}

  private Member answering(String clientUrl) throws IOException {
    long id = status(clientUrl).getHeader().getMemberId();
    return members.get(id);
  }

  private static String flag(Pod pod, String name) {
    for (String arg : pod.getSpec().getContainers().get(0).getArgs()) {
      if (arg.startsWith(name + "=")) return arg.substring(name.length() + 1);
    }
    return null;
  }
}
