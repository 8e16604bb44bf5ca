package io.vkv.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vkv.operator.backend.kubernetes.KubernetesOperator;
import io.vkv.operator.backend.kubernetes.MemberImages;
import io.vkv.operator.cluster.EtcdAdmin;
import io.vkv.operator.spec.Durations;
import java.time.Clock;
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

  @Option(names = "--once", description = "Run one pass over every VkvCluster and exit (1 if any pass failed).")
  boolean once;

  @Override
  public Integer call() throws Exception {
    try (KubernetesClient client = new KubernetesClientBuilder().build(); EtcdAdmin admin = new EtcdAdmin()) {
      String ns = namespace != null ? namespace : client.getNamespace() != null ? client.getNamespace() : "default";
      KubernetesOperator operator = new KubernetesOperator(client, ns, new MemberImages(memberImage), admin,
          Clock.systemUTC(), System.out);
      if (once) {
        return operator.passAll().values().stream().allMatch(p -> p != null && p.error() == null) ? 0 : 1;
      }
      System.out.println("reconciling VkvClusters in namespace " + ns + " on " + client.getMasterUrl());
      operator.run(Durations.parse(period));
    } catch (KubernetesClientException e) {
      System.err.println("vkv-operator: the Kubernetes API failed: " + e.getMessage()
          + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
