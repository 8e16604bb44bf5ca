package io.vkv.operator.backend.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.vkv.operator.cluster.ClusterAccess;
import io.vkv.operator.cluster.ClusterApi;
import io.vkv.operator.controller.Controller;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Reconciles every VkvCluster in one namespace: a pass for each resource in turn, back to back while any has work,
 * then every {@code period} (member health changes without any Kubernetes event) or as soon as a watch sees a
 * resource change. One thread, so no cluster ever has two changes in flight.
 */
public final class KubernetesOperator {
  private final KubernetesClient client;
  private final String namespace;
  private final MemberImages images;
  private final BackupMounts mounts;
  /** The shared connection (tests play the cluster with one); null when each controller dials with {@link #connect}. */
  private final ClusterApi admin;
  private final Function<ClusterAccess, ClusterApi> connect;
  private final Clock clock;
  private final PrintStream log;
  /** One controller per resource uid: a resource deleted and created again under its name is a new cluster. */
  private final Map<String, Controller> controllers = new HashMap<>();

  public KubernetesOperator(KubernetesClient client, String namespace, MemberImages images, ClusterApi admin, Clock clock,
                            PrintStream log) {
    this(client, namespace, images, BackupMounts.IN_OPERATOR_IMAGE, admin, clock, log);
  }

  public KubernetesOperator(KubernetesClient client, String namespace, MemberImages images, BackupMounts mounts, ClusterApi admin,
                            Clock clock, PrintStream log) {
    this(client, namespace, images, mounts, admin, null, clock, log);
  }

  /**
   * An operator whose controllers each dial their cluster as its spec says (TLS from the client Secret, root's
   * password), with connections {@code connect} makes ({@code EtcdAdmin::new} in the command).
   */
  public KubernetesOperator(KubernetesClient client, String namespace, MemberImages images, BackupMounts mounts,
                            Function<ClusterAccess, ClusterApi> connect, Clock clock, PrintStream log) {
    this(client, namespace, images, mounts, null, connect, clock, log);
  }

  private KubernetesOperator(KubernetesClient client, String namespace, MemberImages images, BackupMounts mounts, ClusterApi admin,
                             Function<ClusterAccess, ClusterApi> connect, Clock clock, PrintStream log) {
    this.client = client;
    this.namespace = namespace;
    this.images = images;
    this.mounts = mounts;
    this.admin = admin;
    this.connect = connect;
    this.clock = clock;
    this.log = log;
  }

  /** One pass for every VkvCluster in the namespace; returns the passes made (null where the pass itself failed). */
  public Map<String, Controller.Pass> passAll() {
    return passAll(() -> true);
  }

  /**
   * As {@link #passAll()}, asking {@code mayAct} before each resource's pass: once leadership is lost, no further
   * cluster is touched (the pass already under way is interrupted by the caller).
   */
  public Map<String, Controller.Pass> passAll(BooleanSupplier mayAct) {
    List<VkvClusterResource> resources = client.resources(VkvClusterResource.class).inNamespace(namespace).list().getItems();
    Map<String, Controller.Pass> passes = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (VkvClusterResource r : resources) {
      if (!mayAct.getAsBoolean()) return passes;
      if (r.getMetadata().getDeletionTimestamp() != null) continue; // the garbage collector takes its objects
      String uid = r.getMetadata().getUid();
      seen.add(uid);
      Controller c = controllers.computeIfAbsent(uid, u -> controllerFor(r));
      String name = r.getMetadata().getName();
      try {
        passes.put(name, c.pass());
      } catch (Exception e) {
        log.println(clock.instant() + " " + namespace + "/" + name + ": pass failed: " + e.getMessage());
        passes.put(name, null);
      }
    }
    for (String gone : new HashSet<>(controllers.keySet())) {
      if (!seen.contains(gone)) controllers.remove(gone).close();
    }
    return passes;
  }

  /** Runs until interrupted. */
  public void run(Duration period) throws InterruptedException {
    run(period, () -> true);
  }

  /** Runs until interrupted or until {@code mayAct} says no (then returns). */
  public void run(Duration period, BooleanSupplier mayAct) throws InterruptedException {
    Semaphore changed = new Semaphore(0);
    try (Watch watch = client.resources(VkvClusterResource.class).inNamespace(namespace).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, VkvClusterResource resource) {
        changed.release();
      }

      @Override
      public void onClose(WatcherException cause) {
        log.println(clock.instant() + " watch on VkvClusters closed: " + cause.getMessage() + "; polling every " + period);
      }
    })) {
      while (!Thread.currentThread().isInterrupted()) {
        if (!mayAct.getAsBoolean()) return;
        boolean busy;
        try {
          busy = passAll(mayAct).values().stream().anyMatch(p -> p != null && !p.settled());
        } catch (KubernetesClientException e) {
          log.println(clock.instant() + " listing VkvClusters failed: " + e.getMessage());
          busy = false;
        }
        // the pass's own status writes fire the watch: drained, as they are no change to act on (a user's edit made
        // during the pass is then seen on the next periodic pass)
        changed.drainPermits();
        if (!busy && changed.tryAcquire(period.toMillis(), TimeUnit.MILLISECONDS)) changed.drainPermits();
      }
    }
    throw new InterruptedException();
  }

  private Controller controllerFor(VkvClusterResource r) {
    String name = r.getMetadata().getName();
    // the controller's lines start with the time: the resource's name goes right after it
    PrintStream prefixed = new PrintStream(log, true) {
      @Override
      public void println(String line) {
        int space = line.indexOf(' ');
        super.println(space < 0 ? line : line.substring(0, space) + " " + namespace + "/" + name + ": " + line.substring(space + 1));
      }
    };
    KubernetesSource source = new KubernetesSource(client, namespace, name);
    KubernetesBackend backend = new KubernetesBackend(client, r, images, mounts);
    return connect != null ? new Controller(source, backend, connect, clock, prefixed)
        : new Controller(source, backend, admin, clock, prefixed);
  }
}
