package io.vkv.operator.backend.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Runs a {@link KubernetesOperator} only while this process holds a Lease (coordination.k8s.io), so that several
 * operator replicas can run and exactly one reconciles. Losing the lease stops reconciling at once: no new pass
 * starts, and the pass under way is interrupted (every step is restart-safe, so the next leader finishes it).
 */
public final class LeaderElectedOperator {
  /** The Lease {@code namespace/name}, this replica's identity in it, and fabric8's timing. */
  public record Election(String namespace, String leaseName, String identity, Duration leaseDuration, Duration renewDeadline,
                         Duration retryPeriod) {}

  private final KubernetesClient client;
  private final KubernetesOperator operator;
  private final Election election;
  private final Duration period;
  private final Clock clock;
  private final PrintStream log;
  private volatile boolean leading;
  private Thread worker;

  public LeaderElectedOperator(KubernetesClient client, KubernetesOperator operator, Election election, Duration period,
                               Clock clock, PrintStream log) {
    this.client = client;
    this.operator = operator;
    this.election = election;
    this.period = period;
    this.clock = clock;
    this.log = log;
  }

  public boolean leading() {
    return leading;
  }

  /**
   * Campaigns until interrupted: reconciles while leading; when the lease is lost, waits for the pass under way to
   * stop and campaigns again. Interrupted, it steps down and releases the lease so another replica takes over at once.
   */
  public void run() throws InterruptedException {
    while (true) {
      CompletableFuture<?> term = campaign();
      try {
        term.get();
      } catch (InterruptedException e) {
        term.cancel(true);
        stopWorker();
        throw e;
      } catch (ExecutionException | CancellationException e) {
        log.println(clock.instant() + " leader election ended: " + e.getMessage());
      }
      stopWorker();
    }
  }

  /** Starts one term of campaigning; the future completes when leadership is lost, and cancelling it steps down. */
  public CompletableFuture<?> campaign() {
    var config = new LeaderElectionConfigBuilder()
        .withName(election.leaseName())
        .withLock(new LeaseLock(election.namespace(), election.leaseName(), election.identity()))
        .withLeaseDuration(election.leaseDuration()).withRenewDeadline(election.renewDeadline())
        .withRetryPeriod(election.retryPeriod()).withReleaseOnCancel(true)
        .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader))
        .build();
    return client.leaderElector().withConfig(config).build().start();
  }

  private synchronized void startedLeading() {
    log.println(clock.instant() + " " + election.identity() + " holds lease " + election.namespace() + "/" + election.leaseName()
        + ": reconciling");
    leading = true;
    worker = new Thread(() -> {
      try {
        operator.run(period, this::leading);
      } catch (InterruptedException e) {
        // stepped down
      }
    }, "vkv-operator-reconcile");
    worker.start();
  }

  private synchronized void stoppedLeading() {
    leading = false;
    if (worker != null) worker.interrupt();
    log.println(clock.instant() + " " + election.identity() + " lost lease " + election.namespace() + "/" + election.leaseName()
        + ": not reconciling");
  }

  private void newLeader(String identity) {
    log.println(clock.instant() + " lease " + election.namespace() + "/" + election.leaseName() + " held by " + identity);
  }

  /** Waits until the reconciling thread of the ended term has stopped, so two terms never overlap in this process. */
  private void stopWorker() throws InterruptedException {
    Thread t;
    synchronized (this) {
      leading = false;
      t = worker;
      worker = null;
    }
    if (t != null) {
      t.interrupt();
      t.join();
    }
  }
}
