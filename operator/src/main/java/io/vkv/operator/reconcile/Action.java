package io.vkv.operator.reconcile;

/**
 * The one thing a pass does. Each action is safe to repeat: the next pass observes again and either sees it done or
 * decides it again.
 */
public sealed interface Action {

  /** A line for the log and for {@code status.lastAction}. */
  String describe();

  /** Start the first member of a new cluster (from a backup when {@code restoreFrom} is set). */
  record Bootstrap(String name, String restoreFrom) implements Action {
    public String describe() {
      return "bootstrap " + name + (restoreFrom == null ? "" : " from backup " + restoreFrom);
    }
  }

  /** Reserve a new member's addresses on the platform, so that MemberAdd can name its peer URL. */
  record Prepare(String name) implements Action {
    public String describe() {
      return "prepare " + name;
    }
  }

  /** MemberAdd as a learner. */
  record AddLearner(String name, String peerUrl) implements Action {
    public String describe() {
      return "add learner " + name + " (" + peerUrl + ")";
    }
  }

  /** Start (or restart) a member's process on the platform. */
  record Start(String name, MemberLaunch launch, String reason) implements Action {
    public String describe() {
      return "start " + name + " (" + reason + ")";
    }
  }

  /** MemberPromote; refused by the cluster until the learner is in sync, then simply decided again. */
  record Promote(String name, long id) implements Action {
    public String describe() {
      return "promote " + name + " (" + Long.toHexString(id) + ")";
    }
  }

  /** MemberRemove. */
  record Remove(String name, long id, String reason) implements Action {
    public String describe() {
      return "remove " + (name.isEmpty() ? "unstarted member" : name) + " (" + Long.toHexString(id) + "): " + reason;
    }
  }

  /** Stop a member that is not (or no longer) in the cluster and delete its data from the platform. */
  record Delete(String name, String reason) implements Action {
    public String describe() {
      return "delete " + name + ": " + reason;
    }
  }

  /** MoveLeader, before the leader is removed or upgraded. */
  record MoveLeader(long from, long to, String reason) implements Action {
    public String describe() {
      return "move leader " + Long.toHexString(from) + " -> " + Long.toHexString(to) + ": " + reason;
    }
  }

  /** Stop a member and start it again on its own data with another version. */
  record Upgrade(String name, MemberLaunch launch, String from) implements Action {
    public String describe() {
      return "upgrade " + name + " from " + from + " to " + launch.version();
    }
  }

  /** Add user root with the spec's password (if absent), grant it role root and enable auth (etcdctl's two steps). */
  record EnableAuth() implements Action {
    public String describe() {
      return "enable auth";
    }
  }

  /** Take a snapshot into the backup directory. */
  record Backup() implements Action {
    public String describe() {
      return "backup";
    }
  }

  /** Delete the oldest backup beyond {@code maxBackups}. */
  record Prune(String backupName) implements Action {
    public String describe() {
      return "prune backup " + backupName;
    }
  }

  /** Nothing to do until something changes (a member starting, a learner catching up). */
  record Wait(String reason) implements Action {
    public String describe() {
      return "wait: " + reason;
    }
  }

  /** The cluster is as the spec wants it. */
  record Idle() implements Action {
    public String describe() {
      return "idle";
    }
  }
}
