package io.vkv.operator.controller;

import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.etcdserverpb.StatusResponse;
import io.vkv.operator.backend.MemberPlatform;
import io.vkv.operator.backup.BackupStore;
import io.vkv.operator.cluster.ClusterApi;
import io.vkv.operator.reconcile.BackupFile;
import io.vkv.operator.reconcile.ClusterMember;
import io.vkv.operator.reconcile.MemberHealth;
import io.vkv.operator.reconcile.ObservedState;
import io.vkv.operator.reconcile.PlatformMember;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers one {@link ObservedState}: the platform's members, {@code Status} from each running one, and the
 * membership from a member that answers as a healthy voter (a learner refuses MemberList).
 */
final class Observer {
  private final MemberPlatform platform;
  private final ClusterApi admin;
  private final Clock clock;

  Observer(MemberPlatform platform, ClusterApi admin, Clock clock) {
    this.platform = platform;
    this.admin = admin;
    this.clock = clock;
  }

  /** With {@code askAuth}, also whether auth is on, asked of the member that gave the membership. */
  ObservedState observe(BackupStore backups, boolean askAuth) throws IOException {
    List<PlatformMember> members = platform.list();
    Map<String, MemberHealth> health = new HashMap<>();
    long leader = 0;
    for (PlatformMember p : members) {
      if (!p.running()) continue;
      try {
        StatusResponse s = admin.status(p.clientUrl());
        health.put(p.name(), new MemberHealth(s.getLeader() != 0, s.getHeader().getMemberId(), s.getLeader(),
            s.getVersion(), s.getIsLearner()));
        if (leader == 0) leader = s.getLeader();
      } catch (IOException e) {
        // not answering: unhealthy
      }
    }
    List<ClusterMember> cluster = null;
    String answered = null;
    for (PlatformMember p : leaderFirst(members, health, leader)) {
      MemberHealth h = health.get(p.name());
      if (h == null || !h.healthy() || h.learner()) continue;
      try {
        cluster = toClusterMembers(admin.memberList(p.clientUrl()));
        leader = h.leaderId();
        answered = p.clientUrl();
        break;
      } catch (IOException e) {
        // a member that was just removed answers Status but not MemberList: ask the next one
      }
    }
    List<BackupFile> files = backups == null ? List.of() : backups.list();
    ObservedState o = new ObservedState(clock.instant(), members, cluster, leader, health, files);
    if (!askAuth || answered == null) return o;
    try {
      return o.withAuth(admin.authEnabled(answered), null);
    } catch (IOException e) {
      return o.withAuth(null, e.getMessage());
    }
  }

  /** The leader knows the membership first (it applies a change before its followers do), so it is asked first. */
  private static List<PlatformMember> leaderFirst(List<PlatformMember> members, Map<String, MemberHealth> health, long leader) {
    List<PlatformMember> ordered = new ArrayList<>(members);
    ordered.sort(java.util.Comparator.comparing(p -> {
      MemberHealth h = health.get(p.name());
      return h == null || h.memberId() != leader;
    }));
    return ordered;
  }

  private static List<ClusterMember> toClusterMembers(List<Member> members) {
    List<ClusterMember> out = new ArrayList<>();
    for (Member m : members) {
      String peer = m.getPeerURLsCount() == 0 ? "" : m.getPeerURLs(0);
      out.add(new ClusterMember(m.getID(), m.getName(), peer, m.getIsLearner()));
    }
    return out;
  }
}
