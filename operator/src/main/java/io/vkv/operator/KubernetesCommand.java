package io.vkv.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vkv.operator.backend.kubernetes.BackupMounts;
import io.vkv.operator.backend.kubernetes.KubernetesOperator;
import io.vkv.operator.backend.kubernetes.LeaderElectedOperator;
import io.vkv.operator.backend.kubernetes.MemberImages;
import io.vkv.operator.cluster.EtcdAdmin;
import io.vkv.operator.spec.Durations;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vkv-operator kubernetes}: watches the VkvCluster resources of one namespace and reconciles each. The API
 * server (and the default namespace) is found as fabric8 finds it: the Pod's service account in a cluster, else
 * {@code KUBECONFIG} / {@code ~/.kube/config}.
 */
@Command(name = "kubernetes", mixinStandardHelpOptions = true,
    description = "Reconciles the VkvCluster resources of one namespace (Pods, volumes, Services, PodDisruptionBudget).")
final class KubernetesCommand implements Callable<Integer> {
  @Option(names = "--namespace",
      description = "The namespace whose VkvClusters are reconciled (default: the operator Pod's own namespace, or the"
          + " kubeconfig context's, else 'default').")
  String namespace;

  @Option(names = "--member-image", required = true, description = "The image that spec.version 'current' means.")
  String memberImage;

  @Option(names = "--period", defaultValue = "5s", description = "Pause between passes once settled (default: ${DEFAULT-VALUE}).")
  String period;

  @Option(names = "--once", description = "Run one pass over every VkvCluster and exit (1 if any pass failed); takes no"
      + " lease, so never while an operator runs on the namespace.")
  boolean once;

  @Option(names = "--vkv-jar", defaultValue = "/opt/vkv/vkv.jar",
      description = "vkv's jar, run as 'vkv snapshot status' to verify each backup (default: ${DEFAULT-VALUE}).")
  Path vkvJar;

  @Option(names = "--backup-mounts", defaultValue = "/var/lib/vkv-operator/backups",
      description = "Where the backup claims are mounted: spec.backup.volumeClaim X at DIR/X (default: ${DEFAULT-VALUE}).")
  Path backupMounts;

  @Option(names = "--leader-election", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Reconcile only while holding a Lease in the namespace, so replicas can run side by side (default: on).")
  boolean leaderElection;

  @Option(names = "--lease-name", defaultValue = "vkv-operator", description = "The Lease's name (default: ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(names = "--lease-duration", defaultValue = "15s",
      description = "How long a lease lasts without renewal before another replica may take it (default: ${DEFAULT-VALUE}).")
  String leaseDuration;

  @Option(names = "--renew-deadline", defaultValue = "10s",
      description = "The leader stops reconciling if it could not renew for this long (default: ${DEFAULT-VALUE}).")
  String renewDeadline;

  @Option(names = "--retry-period", defaultValue = "2s", description = "Between attempts to take or renew the lease (default: ${DEFAULT-VALUE}).")
  String retryPeriod;

  @Override
  public Integer call() throws Exception {
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      String ns = namespace != null ? namespace : client.getNamespace() != null ? client.getNamespace() : "default";
      KubernetesOperator operator = new KubernetesOperator(client, ns, new MemberImages(memberImage),
          new BackupMounts(backupMounts, vkvJar), EtcdAdmin::new, Clock.systemUTC(), System.out);
      if (once) {
        return operator.passAll().values().stream().allMatch(p -> p != null && p.error() == null) ? 0 : 1;
      }
      System.out.println("reconciling VkvClusters in namespace " + ns + " on " + client.getMasterUrl());
      if (!leaderElection) {
        operator.run(Durations.parse(period));
        return 0;
      }
      var election = new LeaderElectedOperator.Election(ns, leaseName, identity(), Durations.parse(leaseDuration),
          Durations.parse(renewDeadline), Durations.parse(retryPeriod));
      releaseOnShutdown(Thread.currentThread());
      new LeaderElectedOperator(client, operator, election, Durations.parse(period), Clock.systemUTC(), System.out).run();
    } catch (KubernetesClientException e) {
      System.err.println("vkv-operator: the Kubernetes API failed: " + e.getMessage()
          + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * On SIGTERM (a Pod's shutdown, a rolling update) the campaigning thread is interrupted, which stops the pass under way
   * and releases the lease, so another replica takes over at once instead of after the lease duration.
   */
  private static void releaseOnShutdown(Thread campaigning) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      campaigning.interrupt();
      try {
        campaigning.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "vkv-operator-release-lease"));
  }

  /** The Pod's name (its hostname) when there is one, so the Lease says which replica leads. */
  private static String identity() {
    String host = System.getenv("HOSTNAME");
    return host != null && !host.isBlank() ? host : "vkv-operator-" + UUID.randomUUID();
  }
}
