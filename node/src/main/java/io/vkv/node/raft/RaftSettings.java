package io.vkv.node.raft;

import io.vkv.consensus.Config;
import io.vkv.node.cluster.Membership;
import java.net.URI;

/**
 * What the Raft loop is started with: the core's config, the timing in milliseconds, where the peers are (the
 * membership, kept current as changes apply and snapshots arrive), and the peer port's TLS.
 */
record RaftSettings(Config raftConfig, long heartbeatMs, long electionTimeoutMs, URI listenPeerUrl,
                    Membership membership, java.nio.file.Path snapshotDir, io.vkv.node.tls.TlsContext peerTls) {}
