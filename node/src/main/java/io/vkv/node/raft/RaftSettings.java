package io.vkv.node.raft;

import io.vkv.api.etcdserverpb.Member;
import io.vkv.consensus.Config;
import java.net.URI;
import java.util.List;

/** What the Raft loop is started with: the core's config, the timing in milliseconds, and where the peers are. */
record RaftSettings(Config raftConfig, long heartbeatMs, long electionTimeoutMs, URI listenPeerUrl,
                    List<Member> members, java.nio.file.Path snapshotDir) {}
