package io.vkv.operator.backend.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vkv.node.testing.Wait;
import io.vkv.operator.spec.ClusterSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas on one mock API server (CRUD mode), the members played by {@link PlayedCluster}: only the one
 * holding the Lease reconciles (the other's log has no line about the cluster), and when the leader stops (releasing
 * the lease, as on a clean Pod shutdown) the other takes over and acts on the next change of the spec.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
  private static final Duration STEP = Duration.ofSeconds(180);

  KubernetesClient client;
  private PlayedCluster cluster;
  private final List<Replica> replicas = new ArrayList<>();

  private final class Replica {
    final String identity;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    final LeaderElectedOperator elected;
    final Thread thread;

    Replica(String identity) {
      this.identity = identity;
      PrintStream out = new PrintStream(log, true);
      KubernetesOperator operator = new KubernetesOperator(client, client.getNamespace(), new MemberImages("registry.example/vkv:0.1.0"),
          cluster, Clock.systemUTC(), out);
      elected = new LeaderElectedOperator(client, operator, new LeaderElectedOperator.Election(client.getNamespace(), "vkv-operator",
          identity, Duration.ofSeconds(30), Duration.ofSeconds(25), Duration.ofMillis(500)), Duration.ofMillis(100), Clock.systemUTC(), out);
      thread = new Thread(() -> {
        try {
          elected.run();
        } catch (InterruptedException e) {
          // stopped by the test
        }
      }, "replica-" + identity);
      thread.start();
    }

    String log() {
      synchronized (log) {
        return log.toString();
      }
    }

    /** The lines the operator wrote about the cluster (its actions), as opposed to the election's own lines. */
    long clusterLines() {
      return log().lines().filter(l -> l.contains(" " + client.getNamespace() + "/demo: ")).count();
    }

    /**
     * The cluster lines written while this replica did not hold the lease, by its own log of winning and losing it;
     * a failure report of the pass that was cut off by the loss is not an action and is left out.
     */
    List<String> actionsWithoutTheLease() {
      List<String> out = new ArrayList<>();
      boolean holding = false;
      for (String line : log().lines().toList()) {
        if (line.contains(identity + " holds lease")) holding = true;
        else if (line.contains(identity + " lost lease")) holding = false;
        else if (!holding && line.contains(" " + client.getNamespace() + "/demo: ") && !line.contains("FAILED")
            && !line.contains("pass failed")) {
          out.add(line);
        }
      }
      return out;
    }

    void stop() throws InterruptedException {
      thread.interrupt();
      thread.join(STEP.toMillis());
      assertFalse(thread.isAlive(), identity + " stopped");
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    MockApi.installCrd(client);
    cluster = new PlayedCluster(client);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    for (Replica r : replicas) r.stop();
  }

  @Test
  void onlyTheLeaseHolderReconcilesAndTheOtherTakesOverWhenItStops() throws Exception {
    MockApi.create(client, MockApi.cluster("demo", 3, ""));
    Replica a = new Replica("operator-a");
    replicas.add(a);
    Replica b = new Replica("operator-b");
    replicas.add(b);

    Wait.until(STEP, () -> "a leader; a:\n" + a.log() + "\nb:\n" + b.log(), () -> a.elected.leading() || b.elected.leading());
    Replica leader = a.elected.leading() ? a : b;
    Replica follower = leader == a ? b : a;
    Wait.until(STEP, () -> "3 members; leader log:\n" + leader.log(), () -> client.pods().list().getItems().size() == 3
        && resource().getStatus() != null && "Running".equals(resource().getStatus().phase()));
    assertFalse(follower.elected.leading());
    assertEquals(0, follower.clusterLines(), "the follower did nothing:\n" + follower.log());
    assertTrue(leader.clusterLines() > 0, leader.log());
    assertEquals(leader.identity, lease().getSpec().getHolderIdentity());

    leader.stop();
    replicas.remove(leader);
    long leaderLines = leader.clusterLines();
    Lease afterStop = lease();
    assertTrue(follower.identity.equals(afterStop.getSpec().getHolderIdentity()) || afterStop.getSpec().getLeaseDurationSeconds() == 1,
        "the stopped leader released the lease rather than letting it run out: " + afterStop.getSpec());
    Wait.until(STEP, () -> "the follower takes the lease; its log:\n" + follower.log(), follower.elected::leading);
    assertEquals(follower.identity, lease().getSpec().getHolderIdentity());

    client.resources(VkvClusterResource.class).withName("demo").edit(r -> {
      ClusterSpec s = r.getSpec();
      r.setSpec(new ClusterSpec(4, s.version(), s.storage(), s.member(), s.heal(), s.backup(), s.restore(), s.tls(), s.auth()));
      return r;
    });
    Wait.until(STEP, () -> "the new leader grows the cluster; its log:\n" + follower.log(),
        () -> client.pods().list().getItems().size() == 4);
    assertTrue(follower.log().contains("promote demo-4") || follower.log().contains("start demo-4"), follower.log());
    assertEquals(leaderLines, leader.clusterLines(), "the stopped replica did nothing more");
    assertEquals(List.of(), follower.actionsWithoutTheLease(), follower.log());
    assertEquals(List.of(), leader.actionsWithoutTheLease(), leader.log());
  }

  @Test
  void losingTheLeaseStopsReconcilingAtOnce() throws Exception {
    MockApi.create(client, MockApi.cluster("demo", 3, ""));
    Replica a = new Replica("operator-a");
    replicas.add(a);
    Wait.until(STEP, () -> "3 members; log:\n" + a.log(), () -> a.elected.leading() && client.pods().list().getItems().size() == 3
        && resource().getStatus() != null && "Running".equals(resource().getStatus().phase()));

    // another holder takes the lease (as one would after this replica failed to renew in time)
    client.resources(Lease.class).inNamespace(client.getNamespace()).withName("vkv-operator").edit(l -> {
      l.getSpec().setHolderIdentity("operator-elsewhere");
      l.getSpec().setLeaseDurationSeconds(3600);
      l.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
      return l;
    });
    Wait.until(STEP, () -> "operator-a stops leading; log:\n" + a.log(), () -> !a.elected.leading());
    client.resources(VkvClusterResource.class).withName("demo").edit(r -> {
      ClusterSpec s = r.getSpec();
      r.setSpec(new ClusterSpec(4, s.version(), s.storage(), s.member(), s.heal(), s.backup(), s.restore(), s.tls(), s.auth()));
      return r;
    });
    Wait.until(STEP, () -> "the change is seen by nobody while the lease is elsewhere; log:\n" + a.log(), () -> {
      assertEquals(List.of(), a.actionsWithoutTheLease());
      return client.pods().list().getItems().size() == 3 && lease().getSpec().getHolderIdentity().equals("operator-elsewhere");
    });

    // the other holder goes away: the lease runs out and operator-a campaigns again, wins, and acts
    client.resources(Lease.class).inNamespace(client.getNamespace()).withName("vkv-operator").edit(l -> {
      l.getSpec().setLeaseDurationSeconds(1);
      l.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC).minusSeconds(10));
      return l;
    });
    Wait.until(STEP, () -> "operator-a leads again and grows the cluster; log:\n" + a.log(),
        () -> client.pods().list().getItems().size() == 4);
    assertEquals("operator-a", lease().getSpec().getHolderIdentity());
    assertEquals(List.of(), a.actionsWithoutTheLease(), a.log());
    assertTrue(a.log().contains("operator-a lost lease"), a.log());
  }

  private VkvClusterResource resource() {
    return client.resources(VkvClusterResource.class).withName("demo").get();
  }

  private Lease lease() {
    return client.resources(Lease.class).inNamespace(client.getNamespace()).withName("vkv-operator").get();
  }
}
