package io.vkv.operator.controller;

import io.vkv.operator.backend.Backend;
import io.vkv.operator.backend.MemberPlatform;
import io.vkv.operator.backup.BackupStore;
import io.vkv.operator.cluster.ClusterAccess;
import io.vkv.operator.cluster.ClusterApi;
import io.vkv.operator.cluster.EtcdAdmin;
import io.vkv.operator.reconcile.Action;
import io.vkv.operator.reconcile.Decider;
import io.vkv.operator.reconcile.ObservedState;
import io.vkv.operator.reconcile.StatusBuilder;
import io.vkv.operator.spec.ClusterStatus;
import io.vkv.operator.spec.VkvCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The loop: read the spec and the last status, observe, decide one action, do it, write the status. It holds no state
 * of its own between passes, so it may be stopped and started again at any point.
 */
public final class Controller implements AutoCloseable {
  private final ClusterSource source;
  private final Backend backend;
  /** The shared connection; null when the controller makes its own with {@link #connect}. */
  private final ClusterApi admin;
  private final Function<ClusterAccess, ClusterApi> connect;
  /** The controller's own connection and the access it was made for, made again when the access changes. */
  private ClusterApi owned;
  private ClusterAccess ownedAccess;
  private final Clock clock;
  private final PrintStream log;
  private String lastLine = "";

  /** The single-host controller: the spec file, its status file beside it, and its own connection to the members. */
  public Controller(Path specFile, Backend backend, Clock clock, PrintStream log) {
    this(new SpecFile(specFile), backend, null, EtcdAdmin::new, clock, log);
  }

  /**
   * A controller on a shared connection to the members (closing the controller leaves {@code admin} open). The
   * backend's access is still prepared and checked on each pass (its Secrets), but {@code admin} dials as it will.
   */
  public Controller(ClusterSource source, Backend backend, ClusterApi admin, Clock clock, PrintStream log) {
    this(source, backend, admin, null, clock, log);
  }

  /** A controller that dials the members through connections {@code connect} makes for the backend's access. */
  public Controller(ClusterSource source, Backend backend, Function<ClusterAccess, ClusterApi> connect, Clock clock,
                    PrintStream log) {
    this(source, backend, null, connect, clock, log);
  }

  private Controller(ClusterSource source, Backend backend, ClusterApi admin, Function<ClusterAccess, ClusterApi> connect,
                     Clock clock, PrintStream log) {
    this.source = source;
    this.backend = backend;
    this.admin = admin;
    this.connect = connect;
    this.clock = clock;
    this.log = log;
  }

  /** What one pass did: the action, and the error it met (null when it went through). */
  public record Pass(Action action, String error) {
    /** Whether the loop should pause before the next pass: nothing was done, or the cluster refused. */
    public boolean settled() {
      return error != null || action instanceof Action.Idle || action instanceof Action.Wait;
    }
  }

  /** One observe → decide → act → record pass. */
  public Pass pass() throws IOException {
    VkvCluster desired = source.read();
    ClusterStatus previous = desired.status();
    MemberPlatform platform = backend.platform(desired);
    BackupStore backups = backend.backups(desired);
    ClusterAccess access;
    try {
      access = backend.access(desired);
    } catch (IOException e) {
      return unreachable(desired, "reaching the members: " + e.getMessage());
    }
    ClusterApi admin = adminFor(access);
    ObservedState observed = new Observer(platform, admin, clock).observe(backups, desired.spec().auth() != null);
    ClusterStatus status = StatusBuilder.build(desired.name(), desired.spec(), observed, previous);
    Action action = Decider.next(desired, observed, status);
    String note = null;
    String error = null;
    try {
      note = new Actuator(platform, admin).act(action, desired, observed, backups);
    } catch (IOException | RuntimeException e) {
      error = action.describe() + " failed: " + e.getMessage();
    }
    print(action.describe() + (note == null ? "" : " — " + note) + (error == null ? "" : " — FAILED: " + e(error)));
    boolean acted = !(action instanceof Action.Idle || action instanceof Action.Wait);
    String lastAction = acted ? clock.instant() + " " + action.describe() : status.lastAction();
    String lastError = error != null ? clock.instant() + " " + error : acted ? null : status.lastError();
    source.writeStatus(StatusBuilder.withOutcome(status, lastAction, lastError));
    return new Pass(action, error);
  }

  /**
   * What the operator needs to reach the members is missing (a Secret, a key, a password file): nothing is observed
   * or done, and the status keeps what it said with the error, until the next pass finds it.
   */
  private Pass unreachable(VkvCluster desired, String error) throws IOException {
    Action wait = new Action.Wait(error);
    print(wait.describe());
    ClusterStatus previous = desired.status();
    ClusterStatus base = previous != null ? previous
        : new ClusterStatus("Creating", List.of(), null, null, null, null, null, null, List.of(), null);
    source.writeStatus(StatusBuilder.withOutcome(base, base.lastAction(), clock.instant() + " " + error));
    return new Pass(wait, error);
  }

  private ClusterApi adminFor(ClusterAccess access) {
    if (connect == null) return admin;
    if (owned != null && access.equals(ownedAccess)) return owned;
    if (owned != null) owned.close();
    owned = connect.apply(access);
    ownedAccess = access;
    return owned;
  }

  /** Runs passes until interrupted: back to back while there is work, every {@code period} once settled. */
  public void run(Duration period) throws InterruptedException {
    run(period, Duration.ZERO);
  }

  /** As {@link #run(Duration)}, pausing {@code afterChange} after each pass that changed something. */
  public void run(Duration period, Duration afterChange) throws InterruptedException {
    while (!Thread.currentThread().isInterrupted()) {
      Pass p;
      try {
        p = pass();
      } catch (IOException | RuntimeException e) {
        print("pass failed: " + e);
        p = null;
      }
      // the controller's own pace, not a test wait
      if (p == null || p.settled()) Thread.sleep(period.toMillis());
      else if (!afterChange.isZero()) Thread.sleep(afterChange.toMillis());
    }
    throw new InterruptedException();
  }

  private static String e(String error) {
    return error.substring(error.indexOf(" failed: ") + 9);
  }

  private void print(String line) {
    if (line.equals(lastLine)) return; // a waiting controller says so once
    lastLine = line;
    log.println(clock.instant() + " " + line);
  }

  @Override
  public void close() {
    if (owned != null) owned.close();
  }
}
