package io.vkv.operator.reconcile;

import io.vkv.operator.spec.ClusterSpec;
import io.vkv.operator.spec.ClusterStatus;
import io.vkv.operator.spec.VkvCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The controller's decision: from the spec, what was observed and the status (which carries when each member was
 * first seen unhealthy), the one next {@link Action}. Pure and deterministic. Rules, in order:
 * <ol>
 *   <li>no cluster answers: bootstrap the first member, restart stopped members, or wait;</li>
 *   <li>tidy: delete platform members the cluster no longer lists, remove cluster members with no platform member;</li>
 *   <li>with {@code spec.auth}: enable auth when the cluster has it off (user root, role root, auth enable);</li>
 *   <li>finish the step in flight: a learner is started, then promoted (or removed when lost);</li>
 *   <li>heal voters: restart a stopped one, replace one whose data is gone or that is unhealthy too long;</li>
 *   <li>add a prepared member as a learner, or delete it when it is not needed;</li>
 *   <li>backups (with a healthy quorum);</li>
 *   <li>with every member healthy: grow, shrink (a follower; the leader is moved off first) or upgrade.</li>
 * </ol>
 * At most one learner exists at a time and every removal keeps a healthy quorum, so no two reconfigurations are ever
 * in flight and the cluster never drops below quorum by the controller's hand.
 */
public final class Decider {
  private final VkvCluster desired;
  private final ClusterSpec spec;
  private final ObservedState o;
  private final ClusterStatus status;

  private Decider(VkvCluster desired, ObservedState o, ClusterStatus status) {
    this.desired = desired;
    this.spec = desired.spec();
    this.o = o;
    this.status = status;
  }

  public static Action next(VkvCluster desired, ObservedState observed, ClusterStatus status) {
    return new Decider(desired, observed, status).decide();
  }

  private Action decide() {
    if (!o.clusterReachable()) return withoutCluster();
    Action a = tidy();
    if (a == null) a = auth();
    if (a == null) a = learnerStep();
    if (a == null) a = healVoters();
    if (a == null) a = preparedMember();
    if (a == null) a = backups();
    if (a == null) a = waitForUnhealthy();
    if (a == null) a = resize();
    if (a == null) a = upgrade();
    if (a == null && spec.auth() != null && o.authEnabled() == null) {
      return new Action.Wait("cannot tell whether auth is on: " + o.authError());
    }
    return a == null ? new Action.Idle() : a;
  }

  // ---- 2b. auth: enabled once, as soon as the cluster answers ----

  private Action auth() {
    if (spec.auth() == null || !Boolean.FALSE.equals(o.authEnabled())) return null;
    // without a healthy quorum the proposals would only time out; the later rules (restart, heal) go first
    if (healthyVoters() < Quorum.of(voters().size())) return null;
    return new Action.EnableAuth();
  }

  // ---- 1. no member answers ----

  private Action withoutCluster() {
    List<PlatformMember> started = o.platform().stream().filter(PlatformMember::startedOnce).toList();
    if (started.isEmpty()) {
      List<PlatformMember> prepared = sortedByOrdinal(o.platform());
      if (prepared.size() > 1) {
        PlatformMember extra = prepared.get(prepared.size() - 1);
        return new Action.Delete(extra.name(), "a new cluster starts from one member");
      }
      String name = prepared.isEmpty() ? MemberNames.next(desired.name(), o, status) : prepared.get(0).name();
      String restore = spec.restore() == null ? null : spec.restore().backupName();
      return new Action.Bootstrap(name, restore);
    }
    for (PlatformMember p : sortedByOrdinal(started)) {
      if (!p.running() && p.hasData()) {
        return new Action.Start(p.name(), restartLaunch(p), "no member answers; restarting on its data");
      }
    }
    if (started.stream().anyMatch(PlatformMember::running)) return new Action.Wait("waiting for a member to answer");
    return new Action.Wait("every started member has lost its data: create the cluster again with spec.restore");
  }

  // ---- 2. the platform and the cluster disagree ----

  private Action tidy() {
    for (PlatformMember p : sortedByOrdinal(o.platform())) {
      if (o.clusterMemberOf(p) == null && (p.startedOnce() || p.running())) {
        return new Action.Delete(p.name(), "not a member of the cluster (removed)");
      }
    }
    for (ClusterMember m : o.cluster()) {
      if (o.platformMemberOf(m) == null) {
        if (canRemove(m)) return new Action.Remove(m.name(), m.id(), "no platform member holds it");
        return new Action.Wait("member " + m.hexId() + " has no platform member, but removing it would leave no healthy quorum");
      }
    }
    return null;
  }

  // ---- 3. a learner: start it, promote it ----

  private Action learnerStep() {
    for (ClusterMember m : o.cluster()) {
      if (!m.learner()) continue;
      PlatformMember p = o.platformMemberOf(m);
      if (p.startedOnce() && !p.hasData()) return new Action.Remove(p.name(), m.id(), "learner lost its data");
      if (!p.running()) {
        return new Action.Start(p.name(), joinLaunch(p, p.version() == null ? spec.versionOrDefault() : p.version()),
            p.startedOnce() ? "learner stopped; restarting" : "learner added; joining the cluster");
      }
      if (o.healthy(p.name())) return new Action.Promote(p.name(), m.id());
      if (unhealthyTooLong(p.name())) return new Action.Remove(p.name(), m.id(), "learner unhealthy for longer than " + threshold());
      return new Action.Wait("learner " + p.name() + " is starting");
    }
    return null;
  }

  // ---- 4. heal voters ----

  private Action healVoters() {
    for (ClusterMember m : votersByOrdinal()) {
      PlatformMember p = o.platformMemberOf(m);
      if (p.startedOnce() && !p.hasData()) {
        if (canRemove(m)) return new Action.Remove(p.name(), m.id(), "its data is gone; it will be replaced");
        return new Action.Wait(p.name() + " lost its data, but removing it would leave no healthy quorum");
      }
      if (!p.running()) return new Action.Start(p.name(), restartLaunch(p), "stopped; restarting on its data");
      if (unhealthyTooLong(p.name())) {
        if (canRemove(m)) return new Action.Remove(p.name(), m.id(), "unhealthy for longer than " + threshold() + "; it will be replaced");
        return new Action.Wait(p.name() + " is unhealthy, but removing it would leave no healthy quorum");
      }
    }
    return null;
  }

  // ---- 5. a prepared member: add it as a learner or drop it ----

  private Action preparedMember() {
    for (PlatformMember p : sortedByOrdinal(o.platform())) {
      if (o.clusterMemberOf(p) != null) continue;
      if (o.cluster().size() >= spec.sizeOrDefault()) return new Action.Delete(p.name(), "prepared but no longer needed");
      if (healthyVoters() < Quorum.of(voters().size())) return new Action.Wait("no healthy quorum to add " + p.name());
      return new Action.AddLearner(p.name(), p.peerUrl());
    }
    return null;
  }

  // ---- 6. backups ----

  private Action backups() {
    ClusterSpec.BackupPolicy b = spec.backup();
    if (b == null) return null;
    List<BackupFile> files = new ArrayList<>(o.backups());
    files.sort(Comparator.comparing(BackupFile::time));
    if (b.maxBackups() != null && files.size() > b.maxBackups()) return new Action.Prune(files.get(0).name());
    Duration interval = b.intervalOrNull();
    if (interval == null || healthyVoters() < Quorum.of(voters().size())) return null;
    Instant newest = files.isEmpty() ? null : files.get(files.size() - 1).time();
    if (newest == null || !o.now().isBefore(newest.plus(interval))) return new Action.Backup();
    return null;
  }

  // ---- 7. size and version, once every member is healthy ----

  private Action waitForUnhealthy() {
    for (ClusterMember m : votersByOrdinal()) {
      PlatformMember p = o.platformMemberOf(m);
      if (!o.healthy(p.name())) return new Action.Wait(p.name() + " is unhealthy; replaced if still so after " + threshold());
    }
    return null;
  }

  private Action resize() {
    int size = spec.sizeOrDefault();
    int members = o.cluster().size();
    if (members < size) return new Action.Prepare(MemberNames.next(desired.name(), o, status));
    if (members == size) return null;
    List<ClusterMember> candidates = new ArrayList<>(votersByOrdinal());
    candidates.sort(Comparator.comparingInt((ClusterMember m) -> MemberNames.ordinal(desired.name(), m.name())).reversed());
    ClusterMember victim = candidates.stream().filter(m -> m.id() != o.leaderId()).findFirst().orElse(candidates.get(0));
    if (victim.id() == o.leaderId()) {
      ClusterMember to = otherHealthyVoter(victim);
      if (to == null) return new Action.Wait("the leader must go but no other voter is healthy");
      return new Action.MoveLeader(victim.id(), to.id(), "shrinking to " + size);
    }
    if (!canRemove(victim)) return new Action.Wait("shrinking would leave no healthy quorum");
    return new Action.Remove(victim.name(), victim.id(), "shrinking to " + size);
  }

  private Action upgrade() {
    String version = spec.versionOrDefault();
    ClusterMember leader = null;
    for (ClusterMember m : votersByOrdinal()) {
      PlatformMember p = o.platformMemberOf(m);
      if (version.equals(p.version())) continue;
      if (m.id() == o.leaderId()) {
        leader = m;
        continue;
      }
      return new Action.Upgrade(p.name(), joinLaunch(p, version), p.version());
    }
    if (leader == null) return null;
    ClusterMember to = otherHealthyVoter(leader);
    if (to != null) return new Action.MoveLeader(leader.id(), to.id(), "the leader is upgraded last");
    // a cluster of one has nobody to hand over to: it is restarted in place
    PlatformMember p = o.platformMemberOf(leader);
    return new Action.Upgrade(p.name(), joinLaunch(p, version), p.version());
  }

  // ---- helpers ----

  private MemberLaunch restartLaunch(PlatformMember p) {
    return joinLaunch(p, p.version() == null ? spec.versionOrDefault() : p.version());
  }

  private MemberLaunch joinLaunch(PlatformMember p, String version) {
    return Launches.join(desired.name(), spec, p, o.cluster(), version);
  }

  private ClusterMember otherHealthyVoter(ClusterMember not) {
    for (ClusterMember m : votersByOrdinal()) {
      if (m.id() != not.id() && o.healthy(o.platformMemberOf(m).name())) return m;
    }
    return null;
  }

  private boolean canRemove(ClusterMember m) {
    PlatformMember p = o.platformMemberOf(m);
    boolean healthy = p != null && o.healthy(p.name());
    return Quorum.canRemove(voters().size(), healthyVoters(), !m.learner(), healthy);
  }

  private List<ClusterMember> voters() {
    return o.cluster().stream().filter(m -> !m.learner()).toList();
  }

  private List<ClusterMember> votersByOrdinal() {
    List<ClusterMember> v = new ArrayList<>(voters());
    v.sort(Comparator.comparingInt(m -> MemberNames.ordinal(desired.name(), m.name())));
    return v;
  }

  private int healthyVoters() {
    int n = 0;
    for (ClusterMember m : voters()) {
      PlatformMember p = o.platformMemberOf(m);
      if (p != null && o.healthy(p.name())) n++;
    }
    return n;
  }

  private List<PlatformMember> sortedByOrdinal(List<PlatformMember> members) {
    List<PlatformMember> s = new ArrayList<>(members);
    s.sort(Comparator.comparingInt(p -> MemberNames.ordinal(desired.name(), p.name())));
    return s;
  }

  private Duration threshold() {
    return spec.healOrDefault().unhealthyAfterOrDefault();
  }

  private boolean unhealthyTooLong(String name) {
    if (o.healthy(name) || status == null) return false;
    ClusterStatus.MemberStatus s = status.member(name);
    if (s == null || s.unhealthySince() == null) return false;
    return !o.now().isBefore(Instant.parse(s.unhealthySince()).plus(threshold()));
  }
}
