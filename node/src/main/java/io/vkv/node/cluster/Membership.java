package io.vkv.node.cluster;

import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.internal.ClusterMembers;
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
  private volatile long clusterId;
  private final long localId;
  /** By id as an unsigned number, the order etcd lists members in. */
  private final Map<Long, Member> members = byId();
  /** Ids removed from the cluster: never reused, and refused if they come back. */
  private final java.util.Set<Long> removed = new java.util.TreeSet<>(Long::compareUnsigned);
  /** The client URLs this member advertises (the record in the log holds none). */
  private List<String> localClientUrls = List.of();
  private String localName = "";
  /**
   * Whether this member is a learner, kept with every {@link #replace}: every client request asks (the learner
   * gate), so it is read without the lock.
   */
  private volatile boolean localLearner;

  public Membership(String localName, Map<String, List<URI>> initialCluster, String token, List<URI> localClientUrls) {
    long local = 0;
    for (var e : initialCluster.entrySet()) {
      long id = memberId(e.getValue(), token);
      Member.Builder m = Member.newBuilder().setID(id).setName(e.getKey());
      for (URI u : e.getValue()) m.addPeerURLs(u.toString());
      if (e.getKey().equals(localName)) {
        local = id;
        for (URI u : localClientUrls) m.addClientURLs(u.toString());
        this.localClientUrls = localClientUrls.stream().map(URI::toString).toList();
        this.localName = localName;
      }
      members.put(id, m.build());
    }
    this.localId = local;
    this.clusterId = clusterId(members.keySet());
  }

  private Membership(long localId, Map<Long, Member> members, String localName, List<String> localClientUrls) {
    this.localId = localId;
    this.members.putAll(members);
    this.clusterId = clusterId(this.members.keySet());
    this.localName = localName;
    this.localClientUrls = localClientUrls;
  }

  /**
   * A joining member's view before it has the log: the cluster's membership as another member reported it, this
   * member being {@code localId} in it.
   */
  public static Membership joining(ClusterMembers record, long localId, String localName, List<URI> localClientUrls) {
    Membership m = new Membership(localId, Map.of(), localName, localClientUrls.stream().map(URI::toString).toList());
    m.replace(record);
    return m;
  }

  /**
   * Takes the membership recorded with the applied index (a restart, an installed snapshot, an applied change).
   * Names and client URLs are kept from what is known, this member's own client URLs are the ones it advertises.
   */
  public synchronized void replace(ClusterMembers record) {
    Map<Long, Member> next = byId();
    for (Member r : record.getMembersList()) {
      Member known = members.get(r.getID());
      Member.Builder b = r.toBuilder().clearName().clearClientURLs();
      if (known != null) b.setName(known.getName()).addAllClientURLs(known.getClientURLsList());
      if (r.getID() == localId) b.setName(localName).clearClientURLs().addAllClientURLs(localClientUrls);
      next.put(r.getID(), b.build());
    }
    members.clear();
    members.putAll(next);
    removed.clear();
    removed.addAll(record.getRemovedList());
    clusterId = record.getClusterId();
    Member local = members.get(localId);
    localLearner = local != null && local.getIsLearner();
  }

  /** What the store records: ids, peer URLs and learner flags of the members, the removed ids, the cluster id. */
  public synchronized ClusterMembers record() {
    ClusterMembers.Builder b = ClusterMembers.newBuilder().setClusterId(clusterId).addAllRemoved(removed);
    for (Member m : members.values()) {
      b.addMembers(Member.newBuilder().setID(m.getID()).addAllPeerURLs(m.getPeerURLsList()).setIsLearner(m.getIsLearner()));
    }
    return b.build();
  }

  public synchronized Member member(long id) {
    return members.get(id);
  }

  public synchronized boolean isRemoved(long id) {
    return removed.contains(id);
  }

  /** Whether this member is a learner now. */
  public boolean localIsLearner() {
    return localLearner;
  }

  /** The voters and learners, as the consensus core wants them. */
  public synchronized io.vkv.consensus.ConfState confState() {
    List<Long> voters = new ArrayList<>();
    List<Long> learners = new ArrayList<>();
    for (Member m : members.values()) (m.getIsLearner() ? learners : voters).add(m.getID());
    return new io.vkv.consensus.ConfState(voters, learners);
  }

  /**
   * This membership with the local member under {@code id}, the id recorded in its data dir: as in etcd, a
   * member's id is fixed when its data dir is created and survives a later change of its peer URLs.
   */
  public synchronized Membership withLocalId(long id) {
    if (id == localId) return this;
    Map<Long, Member> renamed = byId();
    renamed.putAll(members);
    Member local = renamed.remove(localId);
    renamed.put(id, local.toBuilder().setID(id).build());
    return new Membership(id, renamed, localName, localClientUrls);
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
    return localClientUrls;
  }

  /**
   * The members with the client URLs each published through the log ({@code published}); this member's own are
   * the ones it advertises now.
   */
  public synchronized List<Member> members(List<MemberAttributes> published) {
    Map<Long, Member> merged = byId();
    merged.putAll(members);
    for (MemberAttributes a : published) {
      Member m = merged.get(a.getMemberId());
      if (m == null || a.getMemberId() == localId) continue;
      merged.put(a.getMemberId(), m.toBuilder().setName(a.getName()).clearClientURLs()
          .addAllClientURLs(a.getClientUrlsList()).build());
    }
    return new ArrayList<>(merged.values());
  }

  /** Replaces the advertised client URLs of a member (a member publishes its own once it is up). */
  public synchronized void setClientUrls(long id, List<String> clientUrls) {
    Member m = members.get(id);
    if (m != null) members.put(id, m.toBuilder().clearClientURLs().addAllClientURLs(clientUrls).build());
    if (id == localId) localClientUrls = List.copyOf(clientUrls);
  }

  /**
   * The membership after a committed change, as the store will record it: {@code member} added (voter or learner
   * as its flag says), promoted, given new peer URLs, or removed (its id then joins the removed ones).
   */
  public synchronized ClusterMembers afterChange(io.vkv.consensus.ConfChange.Type type, Member member) {
    ClusterMembers.Builder b = record().toBuilder();
    List<Member> list = new ArrayList<>(b.getMembersList());
    list.removeIf(m -> m.getID() == member.getID());
    Member known = members.get(member.getID());
    switch (type) {
      case ADD_LEARNER -> list.add(Member.newBuilder().setID(member.getID()).addAllPeerURLs(member.getPeerURLsList())
          .setIsLearner(true).build());
      case ADD_VOTER -> list.add(Member.newBuilder().setID(member.getID())
          .addAllPeerURLs(known != null ? known.getPeerURLsList() : member.getPeerURLsList()).build());
      case REMOVE -> {
        if (!b.getRemovedList().contains(member.getID())) b.addRemoved(member.getID());
      }
      default -> { // a peer URL update
        if (known == null) return b.build();
        list.add(Member.newBuilder().setID(member.getID()).addAllPeerURLs(member.getPeerURLsList())
            .setIsLearner(known.getIsLearner()).build());
      }
    }
    list.sort(Comparator.comparing(Member::getID, Long::compareUnsigned));
    return b.clearMembers().addAllMembers(list).build();
  }

  /** The id a new member gets: as etcd, from its peer URLs, the cluster and the time, never one used before. */
  public synchronized long newMemberId(List<String> peerUrls, long nowMillis) {
    List<String> urls = peerUrls.stream().sorted().toList();
    for (long salt = nowMillis; ; salt++) {
      long id = first8(String.join("", urls) + Long.toUnsignedString(clusterId, 16) + salt);
      if (id != 0 && !members.containsKey(id) && !removed.contains(id)) return id;
    }
  }

  private static Map<Long, Member> byId() {
    return new TreeMap<>(Long::compareUnsigned);
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
