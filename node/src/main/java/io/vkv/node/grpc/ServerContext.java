package io.vkv.node.grpc;

import io.vkv.api.etcdserverpb.ResponseHeader;
import io.vkv.node.NodeConfig;
import io.vkv.node.auth.AuthGate;
import io.vkv.node.apply.Proposer;
import io.vkv.node.cluster.Membership;
import io.vkv.node.lease.LeaseRuntime;
import io.vkv.node.lock.KeyEvents;
import io.vkv.node.membership.ClusterAdmin;
import io.vkv.node.watch.WatchRuntime;
import io.vkv.store.MvccReader;

/** What the client-facing services share: the store to read, the proposer to write through, who we are, the watch hub. */
public record ServerContext(NodeConfig config, MvccReader store, Proposer proposer, Membership membership,
                            WatchRuntime watch, LeaseRuntime leases, KeyEvents keyEvents, AuthGate auth,
                            ClusterAdmin cluster) {

  public ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder()
        .setClusterId(membership.clusterId())
        .setMemberId(membership.localId())
        .setRevision(revision)
        .setRaftTerm(proposer.term())
        .build();
  }

  public ResponseHeader currentHeader() {
    return header(store.currentRevision());
  }
}
