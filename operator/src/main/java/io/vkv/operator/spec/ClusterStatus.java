package io.vkv.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the controller last observed and did. It is also the controller's only memory between passes: the time a
 * member was first seen unhealthy lives here, so a restarted controller keeps counting.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterStatus(String phase, List<MemberStatus> members, String leader, String currentVersion,
                            String lastBackup, String lastBackupTime, String lastAction, String lastError,
                            List<Condition> conditions, Integer highestMemberNumber) {

  /** One member as the cluster and the platform show it; {@code id} is etcd's hex member id. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MemberStatus(String name, String id, boolean healthy, boolean learner, String version,
                             String clientUrl, String unhealthySince) {}

  /** Kubernetes-style condition: {@code Available} (a quorum serves), {@code Ready} (size reached, all healthy). */
  public record Condition(String type, String status, String reason, String message, String lastTransitionTime) {}

  public MemberStatus member(String name) {
    if (members == null) return null;
    for (MemberStatus m : members) if (m.name().equals(name)) return m;
    return null;
  }
}
