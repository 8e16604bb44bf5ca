package io.vkv.operator.reconcile;

import io.vkv.operator.spec.ClusterSpec;
import io.vkv.operator.spec.ClusterStatus;
import io.vkv.operator.spec.ClusterStatus.Condition;
import io.vkv.operator.spec.ClusterStatus.MemberStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The status a pass reports, from what it observed and the previous status. Pure. It carries over when each member
 * was first seen unhealthy (so the heal threshold survives a controller restart), the last backup, and the time a
 * condition last changed.
 */
public final class StatusBuilder {
  private StatusBuilder() {}

  public static ClusterStatus build(String clusterName, ClusterSpec spec, ObservedState o, ClusterStatus previous) {
    List<MemberStatus> members = new ArrayList<>();
    String leader = null;
    String lowest = null;
    int healthyVoters = 0;
    int voters = 0;
    if (o.cluster() != null) {
      for (ClusterMember m : o.cluster()) {
        PlatformMember p = o.platformMemberOf(m);
        String name = p != null ? p.name() : m.name();
        MemberHealth h = p == null ? null : o.health().get(p.name());
        boolean healthy = h != null && h.healthy();
        String version = h == null ? null : h.version();
        if (version != null && !version.isEmpty() && (lowest == null || Versions.compare(version, lowest) < 0)) lowest = version;
        if (!m.learner()) {
          voters++;
          if (healthy) healthyVoters++;
        }
        if (m.id() == o.leaderId()) leader = name;
        // the heal clock runs from the first start: a learner added but not yet started is not unhealthy, only new
        boolean clockRuns = !healthy && (p == null || p.startedOnce());
        members.add(new MemberStatus(name, m.hexId(), healthy, m.learner(), version,
            p == null ? null : p.clientUrl(), clockRuns ? since(previous, name, o) : null));
      }
    }
    members.sort(Comparator.comparingInt(ms -> MemberNames.ordinal(clusterName, ms.name())));
    boolean available = voters > 0 && healthyVoters >= Quorum.of(voters);
    boolean ready = available && healthyVoters == voters && voters == spec.sizeOrDefault() && members.size() == voters;
    String phase = o.cluster() == null ? (o.platform().isEmpty() ? "Creating" : "Unavailable")
        : ready ? "Running" : available ? "Reconciling" : "Unavailable";
    BackupFile newest = o.backups().stream().max(Comparator.comparing(BackupFile::time)).orElse(null);
    String lastBackup = newest != null ? newest.name() : previous == null ? null : previous.lastBackup();
    String lastBackupTime = newest != null ? newest.time().toString() : previous == null ? null : previous.lastBackupTime();
    List<Condition> conditions = List.of(
        condition(previous, "Available", available, available ? "QuorumHealthy" : "NoHealthyQuorum",
            healthyVoters + " of " + voters + " voters healthy", o),
        condition(previous, "Ready", ready, ready ? "AsSpecified" : "Reconciling",
            members.size() + " members, " + spec.sizeOrDefault() + " wanted", o));
    return new ClusterStatus(phase, members, leader, lowest, lastBackup, lastBackupTime,
        previous == null ? null : previous.lastAction(), previous == null ? null : previous.lastError(), conditions,
        MemberNames.highest(clusterName, o, previous));
  }

  /** The status with what the pass did (or the error it met) recorded. */
  public static ClusterStatus withOutcome(ClusterStatus s, String lastAction, String lastError) {
    return new ClusterStatus(s.phase(), s.members(), s.leader(), s.currentVersion(), s.lastBackup(), s.lastBackupTime(),
        lastAction, lastError, s.conditions(), s.highestMemberNumber());
  }

  private static String since(ClusterStatus previous, String name, ObservedState o) {
    MemberStatus before = previous == null ? null : previous.member(name);
    if (before != null && before.unhealthySince() != null) return before.unhealthySince();
    return o.now().toString();
  }

  private static Condition condition(ClusterStatus previous, String type, boolean holds, String reason, String message,
                                     ObservedState o) {
    String value = holds ? "True" : "False";
    String changed = o.now().toString();
    if (previous != null && previous.conditions() != null) {
      for (Condition c : previous.conditions()) {
        if (c.type().equals(type) && c.status().equals(value)) changed = c.lastTransitionTime();
      }
    }
    return new Condition(type, value, reason, message, changed);
  }
}
