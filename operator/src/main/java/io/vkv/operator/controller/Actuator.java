package io.vkv.operator.controller;

import io.vkv.operator.backend.MemberPlatform;
import io.vkv.operator.backup.BackupStore;
import io.vkv.operator.cluster.ClusterApi;
import io.vkv.operator.reconcile.Action;
import io.vkv.operator.reconcile.ClusterMember;
import io.vkv.operator.reconcile.Launches;
import io.vkv.operator.reconcile.ObservedState;
import io.vkv.operator.reconcile.PlatformMember;
import io.vkv.operator.spec.VkvCluster;
import java.io.IOException;

/**
 * Carries out one {@link Action} through the platform and the cluster's API. It decides nothing: the cluster's own
 * checks (etcd's "not in sync", "unhealthy cluster") may refuse a call, and the next pass simply decides again.
 */
final class Actuator {
  private final MemberPlatform platform;
  private final ClusterApi admin;

  Actuator(MemberPlatform platform, ClusterApi admin) {
    this.platform = platform;
    this.admin = admin;
  }

  /** Does the action; returns a note for the log (e.g. the backup's name), or null. */
  String act(Action action, VkvCluster desired, ObservedState o, BackupStore backups) throws IOException {
    if (action instanceof Action.Bootstrap b) {
      PlatformMember p = platform.prepare(b.name());
      var launch = Launches.bootstrap(desired.name(), desired.spec(), p);
      if (b.restoreFrom() != null) platform.restore(b.name(), backups.path(b.restoreFrom()), launch);
      platform.start(b.name(), launch);
    } else if (action instanceof Action.Prepare p) {
      return "peer URL " + platform.prepare(p.name()).peerUrl();
    } else if (action instanceof Action.AddLearner a) {
      return "member id " + Long.toHexString(admin.addLearner(voterUrl(o), a.peerUrl()).getID());
    } else if (action instanceof Action.Start s) {
      platform.start(s.name(), s.launch());
    } else if (action instanceof Action.Promote p) {
      admin.promote(voterUrl(o), p.id());
    } else if (action instanceof Action.Remove r) {
      admin.remove(voterUrl(o), r.id());
    } else if (action instanceof Action.Delete d) {
      platform.delete(d.name());
    } else if (action instanceof Action.MoveLeader m) {
      String leader = clientUrlOf(o, m.from());
      if (leader == null) throw new IOException("the leader has no client URL on the platform");
      admin.moveLeader(leader, m.to());
    } else if (action instanceof Action.Upgrade u) {
      platform.stop(u.name());
      platform.start(u.name(), u.launch());
    } else if (action instanceof Action.Backup) {
      return "wrote " + backups.take(admin, voterUrl(o), o.now());
    } else if (action instanceof Action.EnableAuth) {
      admin.enableAuth(voterUrl(o));
    } else if (action instanceof Action.Prune p) {
      backups.delete(p.backupName());
    }
    return null;
  }

  /** A healthy voter's client URL: membership calls are refused by learners, and forwarded to the leader by voters. */
  private static String voterUrl(ObservedState o) throws IOException {
    String leader = clientUrlOf(o, o.leaderId());
    if (leader != null) return leader;
    for (ClusterMember m : o.cluster()) {
      PlatformMember p = o.platformMemberOf(m);
      if (!m.learner() && p != null && o.healthy(p.name())) return p.clientUrl();
    }
    throw new IOException("no healthy voter to send the call to");
  }

  private static String clientUrlOf(ObservedState o, long id) {
    for (ClusterMember m : o.cluster()) {
      if (m.id() != id) continue;
      PlatformMember p = o.platformMemberOf(m);
      if (p != null && o.healthy(p.name())) return p.clientUrl();
    }
    return null;
  }
}
