package io.vkv.operator.reconcile;

import io.vkv.operator.spec.ClusterStatus;
import io.vkv.operator.spec.SpecFiles;
import io.vkv.operator.spec.VkvCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A made-up platform and cluster for the pure decision function: members with flags the tests set, a clock the tests
 * move, and {@link #apply} doing what an action would do to a perfect world. Nothing runs.
 */
final class FakeWorld {
  static final class Node {
    final String name;
    final String peerUrl;
    boolean running;
    boolean hasData;
    boolean startedOnce;
    boolean healthy;
    String version;
    String serverVersion = "3.4.0";
    Long id; // null: not in the cluster
    boolean learner;
    boolean onPlatform = true; // false: the cluster lists it, the platform lost it entirely

    Node(String name, int port) {
      this.name = name;
      this.peerUrl = "http://127.0.0.1:" + port;
    }
  }

  final Map<String, Node> nodes = new LinkedHashMap<>();
  final List<BackupFile> backups = new ArrayList<>();
  Instant now = Instant.parse("2026-12-06T12:00:00Z");
  long leader;
  /** Whether the cluster has auth on; {@link #authError} set: the question failed. */
  boolean authOn;
  String authError;
  ClusterStatus status;
  VkvCluster spec;
  private int ports = 20000;
  private long ids = 0x100;

  FakeWorld(String yaml) {
    spec(yaml);
  }

  void spec(String yaml) {
    try {
      spec = SpecFiles.parse(yaml);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static String spec(int size) {
    return spec(size, "");
  }

  static String spec(int size, String extra) {
    return "apiVersion: vkv.io/v1alpha1\nkind: VkvCluster\nmetadata: {name: demo}\nspec:\n  size: " + size
        + "\n  storage: {dataRoot: data}\n  heal: {unhealthyAfter: 30s}\n" + extra;
  }

  /** A started, healthy voter (the first one added leads). */
  Node voter(String name) {
    Node n = prepared(name);
    n.running = n.hasData = n.startedOnce = n.healthy = true;
    n.version = spec.spec().versionOrDefault();
    n.id = ids++;
    if (leader == 0) leader = n.id;
    return n;
  }

  Node prepared(String name) {
    Node n = new Node(name, ports++);
    nodes.put(name, n);
    return n;
  }

  Node node(String name) {
    Node n = nodes.get(name);
    if (n == null) throw new AssertionError("no member " + name + " in " + nodes.keySet());
    return n;
  }

  void pass(Duration d) {
    now = now.plus(d);
  }

  ObservedState observe() {
    List<PlatformMember> platform = new ArrayList<>();
    List<ClusterMember> cluster = new ArrayList<>();
    Map<String, MemberHealth> health = new HashMap<>();
    boolean reachable = false;
    for (Node n : nodes.values()) {
      if (n.onPlatform) platform.add(new PlatformMember(n.name, n.peerUrl, "http://127.0.0.1:1" + n.peerUrl.substring(n.peerUrl.length() - 4),
          n.running, n.hasData, n.startedOnce, n.version));
      if (n.id != null) cluster.add(new ClusterMember(n.id, n.startedOnce ? n.name : "", n.peerUrl, n.learner));
      if (n.onPlatform && n.running && n.healthy) {
        health.put(n.name, new MemberHealth(true, n.id == null ? 0 : n.id, leader, n.serverVersion, n.learner));
        if (!n.learner && n.id != null) reachable = true;
      }
    }
    ObservedState o = new ObservedState(now, platform, reachable ? cluster : null, leader, health, List.copyOf(backups));
    // as the Observer: asked only with spec.auth, of a member that answered
    if (spec.spec().auth() == null || !reachable) return o;
    return authError != null ? o.withAuth(null, authError) : o.withAuth(authOn, null);
  }

  /** Decides the next action the way the controller does: status first, then the decision. */
  Action decide() {
    ObservedState o = observe();
    status = StatusBuilder.build(spec.name(), spec.spec(), o, status);
    return Decider.next(spec, o, status);
  }

  /** What the action does when everything goes well, at once. */
  void apply(Action a) {
    if (a instanceof Action.Bootstrap b) {
      Node n = nodes.containsKey(b.name()) ? node(b.name()) : prepared(b.name());
      n.running = n.hasData = n.startedOnce = n.healthy = true;
      n.version = spec.spec().versionOrDefault();
      n.id = ids++;
      leader = n.id;
    } else if (a instanceof Action.Prepare p) {
      prepared(p.name());
    } else if (a instanceof Action.AddLearner l) {
      Node n = node(l.name());
      n.id = ids++;
      n.learner = true;
    } else if (a instanceof Action.Start s) {
      Node n = node(s.name());
      n.running = n.hasData = n.startedOnce = n.healthy = true;
      n.version = s.launch().version();
    } else if (a instanceof Action.Promote p) {
      node(p.name()).learner = false;
    } else if (a instanceof Action.Remove r) {
      for (Node n : nodes.values()) {
        if (n.id != null && n.id == r.id()) {
          n.id = null;
          n.running = false; // a removed vkv member stops by itself
        }
      }
      if (leader == r.id()) leader = nodes.values().stream().filter(n -> n.id != null && !n.learner).findFirst().map(n -> n.id).orElse(0L);
    } else if (a instanceof Action.Delete d) {
      nodes.remove(d.name());
    } else if (a instanceof Action.MoveLeader m) {
      leader = m.to();
    } else if (a instanceof Action.Upgrade u) {
      node(u.name()).version = u.launch().version();
    } else if (a instanceof Action.EnableAuth) {
      authOn = true;
    } else if (a instanceof Action.Backup) {
      backups.add(new BackupFile("demo-" + now.toEpochMilli() + ".db", now, 7));
    } else if (a instanceof Action.Prune p) {
      backups.removeIf(b -> b.name().equals(p.backupName()));
    }
  }

  /** Decides and applies until idle; returns the actions taken. Fails when it does not settle. */
  List<Action> converge() {
    List<Action> done = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Action a = decide();
      if (a instanceof Action.Idle) return done;
      if (a instanceof Action.Wait) throw new AssertionError("stuck: " + a.describe() + " after " + done);
      apply(a);
      done.add(a);
      pass(Duration.ofMillis(100));
    }
    throw new AssertionError("did not settle: " + done);
  }

  int voters() {
    return (int) nodes.values().stream().filter(n -> n.id != null && !n.learner).count();
  }
}
