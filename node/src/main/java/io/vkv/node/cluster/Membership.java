package io.vkv.node.cluster;

import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.internal.MemberAttributes;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The members of the cluster and their ids. As in etcd, a member's id is derived from its peer URLs and the
 * cluster token, and the cluster id from the member ids, so every member computes the same ids independently.
 */
public final class Membership {
  private final long clusterId;
  private final long localId;
  private final Map<Long, Member> members = new TreeMap<>();

  public Membership(String localName, Map<String, List<URI>> initialCluster, String token, List<URI> localClientUrls) {
    long local = 0;
    for (var e : initialCluster.entrySet()) {
      long id = memberId(e.getValue(), token);
      Member.Builder m = Member.newBuilder().setID(id).setName(e.getKey());
      for (URI u : e.getValue()) m.addPeerURLs(u.toString());
      if (e.getKey().equals(localName)) {
        local = id;
        for (URI u : localClientUrls) m.addClientURLs(u.toString());
      }
      members.put(id, m.build());
    }
    this.localId = local;
    this.clusterId = clusterId(members.keySet());
  }

  private Membership(long localId, Map<Long, Member> members) {
    this.localId = localId;
    this.members.putAll(members);
    this.clusterId = clusterId(this.members.keySet());
  }

  /**
   * This membership with the local member under {@code id}, the id recorded in its data dir: as in etcd, a
   * member's id is fixed when its data dir is created and survives a later change of its peer URLs.
   */
  public synchronized Membership withLocalId(long id) {
    if (id == localId) return this;
    Map<Long, Member> renamed = new TreeMap<>(members);
    Member local = renamed.remove(localId);
    renamed.put(id, local.toBuilder().setID(id).build());
    return new Membership(id, renamed);
  }

  public long clusterId() {
    return clusterId;
  }

  public long localId() {
    return localId;
  }

  public synchronized List<Member> members() {
    return new ArrayList<>(members.values());
  }

  /** The client URLs this member advertises. */
  public synchronized List<String> localClientUrls() {
    Member m = members.get(localId);
    return m == null ? List.of() : List.copyOf(m.getClientURLsList());
  }

  /**
   * The members with the client URLs each published through the log ({@code published}); this member's own are
   * the ones it advertises now.
   */
  public synchronized List<Member> members(List<MemberAttributes> published) {
    Map<Long, Member> merged = new TreeMap<>(members);
    for (MemberAttributes a : published) {
      Member m = merged.get(a.getMemberId());
      if (m == null || a.getMemberId() == localId) continue;
      merged.put(a.getMemberId(), m.toBuilder().clearClientURLs().addAllClientURLs(a.getClientUrlsList()).build());
    }
    return new ArrayList<>(merged.values());
  }

  /** Replaces the advertised client URLs of a member (a member publishes its own once it is up). */
  public synchronized void setClientUrls(long id, List<String> clientUrls) {
    Member m = members.get(id);
    if (m != null) members.put(id, m.toBuilder().clearClientURLs().addAllClientURLs(clientUrls).build());
  }

  static long memberId(List<URI> peerUrls, String token) {
    List<String> urls = peerUrls.stream().map(URI::toString).sorted(Comparator.naturalOrder()).toList();
    return first8(String.join("", urls) + token);
  }

  private static long clusterId(Iterable<Long> memberIds) {
    StringBuilder sb = new StringBuilder();
    for (long id : memberIds) sb.append(Long.toUnsignedString(id, 16));
    return first8(sb.toString());
  }

  private static long first8(String s) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(sha, 0, 8).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by the JDK", e);
    }
  }
}
