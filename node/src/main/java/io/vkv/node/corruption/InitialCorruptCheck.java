package io.vkv.node.corruption;

import io.vertx.core.Vertx;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.node.peer.PeerClients;
import io.vkv.store.KvHash;
import io.vkv.store.MvccReader;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * {@code --experimental-initial-corrupt-check}: before this member serves peers or clients, it asks the other members
 * for their hash at its own revision and refuses to start if one of them hashes differently at the same compact
 * revision (etcd's CheckInitialHashKV). Members that are down, behind or compacted past the revision are skipped
 * with a warning, as in etcd. Blocking: runs while the member is being opened.
 */
public final class InitialCorruptCheck {
  private static final Logger LOG = Logger.getLogger(InitialCorruptCheck.class.getName());

  /** @throws IllegalStateException "{@code <member id>} found data inconsistency with peers", etcd's error */
  public static void run(Vertx vertx, PeerClients clients, MvccReader store, long localId, List<Member> members,
                         long timeoutMs) throws Exception {
    LOG.info(() -> String.format("starting initial corruption check (member %x, timeout %d ms)", localId, timeoutMs));
    KvHash local = store.hashByRevision(0);
    List<PeerHash> peers = new PeerHashes(vertx, clients, localId, timeoutMs).ask(members, local.currentRevision())
        .toCompletionStage().toCompletableFuture().get(2 * timeoutMs + 1_000, TimeUnit.MILLISECONDS);
    for (PeerHash p : peers) {
      if (p.response() != null && p.response().getHash() != local.hash()
          && p.response().getCompactRevision() != local.compactRevision()) {
        LOG.warning(() -> String.format("cannot compare hashes with member %x: its compact revision is %d, ours %d",
            p.memberId(), p.response().getCompactRevision(), local.compactRevision()));
      } else if (p.response() == null) {
        LOG.warning(() -> String.format("cannot compare hashes with member %x at revision %d: %s", p.memberId(),
            local.currentRevision(), p.failure()));
      }
    }
    List<Long> diverged = HashComparison.initialMismatches(local, peers);
    for (long id : diverged) {
      PeerHash p = peers.stream().filter(x -> x.memberId() == id).findFirst().orElseThrow();
      LOG.severe(() -> String.format("member %x hashes to %d at revision %d (compact revision %d), member %x to %d",
          localId, Integer.toUnsignedLong(local.hash()), local.currentRevision(), local.compactRevision(), id,
          Integer.toUnsignedLong(p.response().getHash())));
    }
    if (!diverged.isEmpty()) throw new IllegalStateException(Long.toHexString(localId) + " found data inconsistency with peers");
    LOG.info(() -> String.format("initial corruption check passed (member %x, %d of %d peers compared)", localId,
        peers.stream().filter(p -> p.response() != null).count(), peers.size()));
  }

  private InitialCorruptCheck() {}
}
