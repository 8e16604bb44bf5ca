package io.vkv.node.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.internal.ClusterMembers;
import io.vkv.node.NodeConfig;
import io.vkv.node.peer.MembersFetch;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The first start of a member with {@code --initial-cluster-state existing}: it asks the other members named in
 * {@code --initial-cluster} for the cluster's membership and finds itself in it by its advertised peer URLs (the
 * ones {@code etcdctl member add} was given), which gives it its member id and the cluster id. Blocking.
 */
public final class Joining {
  private static final Logger LOG = Logger.getLogger(Joining.class.getName());
  /** How long to keep asking: the members may be restarting, or not have applied the add yet. */
  static final long ASK_FOR_MS = 30_000;

  public static Membership membership(NodeConfig config, Vertx vertx) throws Exception {
    Set<String> own = new HashSet<>();
    for (URI u : config.initialAdvertisePeerUrls()) own.add(u.toString());
    List<URI> others = new ArrayList<>();
    config.initialCluster().forEach((name, urls) -> {
      for (URI u : urls) if (!own.contains(u.toString())) others.add(u);
    });
    if (others.isEmpty()) {
      throw new IllegalArgumentException("--initial-cluster-state existing needs --initial-cluster to name the "
          + "cluster's other members (as 'etcdctl member add' prints it)");
    }
    io.vkv.node.peer.PeerClients clients = new io.vkv.node.peer.PeerClients(vertx, new NetClientOptions().setConnectTimeout(2_000),
        io.vkv.node.tls.TlsContext.create("peer", config.peerTls(), config.listenPeerUrls(), config.dataDir()));
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ASK_FOR_MS);
      String last = "no member answered";
      while (true) {
        for (URI peer : others) {
          ClusterMembers record;
          try {
            record = MembersFetch.ask(vertx, clients.forUrl(peer), peer, 2_000).toCompletionStage().toCompletableFuture()
                .get(3, TimeUnit.SECONDS);
          } catch (Exception e) {
            last = peer + ": " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            continue;
          }
          for (Member m : record.getMembersList()) {
            if (m.getPeerURLsList().stream().anyMatch(own::contains)) {
              LOG.info(() -> String.format("joining cluster %x as member %x (asked %s)", record.getClusterId(),
                  m.getID(), peer));
              return Membership.joining(record, m.getID(), config.name(), config.advertiseClientUrls());
            }
          }
          last = peer + " lists no member with peer URLs " + own + ": add this member first with "
              + "'etcdctl member add " + config.name() + " --peer-urls=" + String.join(",", own) + "'";
        }
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("cannot join the cluster with --initial-cluster-state existing: " + last);
        }
        Thread.sleep(200); // between rounds of asking the other members (not a wait for a condition in a test)
      }
    } finally {
      clients.close();
    }
  }

  private Joining() {}
}
