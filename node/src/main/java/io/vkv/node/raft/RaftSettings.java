package io.vkv.node.raft;

import io.vkv.api.internal.ClusterMembers;
import io.vkv.consensus.Config;
import io.vkv.node.cluster.Membership;
import java.net.URI;
import java.util.function.Supplier;

/**
 * What the Raft loop is started with: the core's config, the timing in milliseconds, where the peers are, and the
 * membership the store records (read again after a snapshot replaced the store).
 */
record RaftSettings(Config raftConfig, long heartbeatMs, long electionTimeoutMs, URI listenPeerUrl,
                    Membership membership, Supplier<ClusterMembers> recordedMembers,
                    java.nio.file.Path snapshotDir, io.vkv.node.tls.TlsContext peerTls) {}
